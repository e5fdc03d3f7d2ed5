{#-
    Wraps dbt's builtin `source()` so that, on DuckDB, the raw tables can be read straight
    from files: when var `raw_data_path` is set, `source('tracking', 'events')` renders as
    `read_csv('<raw_data_path>/events.csv', ...)` (or `read_parquet(...)` with
    `raw_data_format: parquet`) instead of `raw.events`. Lineage is unchanged: the builtin
    is always called, so the DAG, docs and freshness still know every source.
    CSV files are read with every column as text: staging does all typing, so a bad value
    is quarantined with a reason instead of failing the read.
-#}
{% macro source(source_name, table_name) %}
    {%- set relation = builtins.source(source_name, table_name) -%}
    {%- set raw_data_path = var('raw_data_path', '') -%}
    {%- if not raw_data_path -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- if target.type != 'duckdb' -%}
        {{ exceptions.raise_compiler_error(
            "var raw_data_path is only supported on DuckDB (target type here: '"
            ~ target.type ~ "'). On other warehouses, load the files into the '"
            ~ var('raw_schema') ~ "' schema and leave raw_data_path empty."
        ) }}
    {%- endif -%}
    {%- set file_format = var('raw_data_format', 'csv') | lower -%}
    {%- set path = raw_data_path.rstrip('/') ~ '/' ~ relation.identifier ~ '.' ~ file_format -%}
    {%- if file_format == 'csv' -%}
        {%- set reader = "read_csv('" ~ path ~ "', header = true, all_varchar = true)" -%}
    {%- elif file_format == 'parquet' -%}
        {%- set reader = "read_parquet('" ~ path ~ "')" -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var raw_data_format must be 'csv' or 'parquet', got '" ~ file_format ~ "'"
        ) }}
    {%- endif -%}
    {%- if execute -%}
        {%- set found = run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] -%}
        {%- if found == 0 -%}
            {{ exceptions.raise_compiler_error(
                "var raw_data_path: no file '" ~ path ~ "' for source " ~ source_name ~ "."
                ~ table_name ~ ". The directory must hold one " ~ file_format ~ " file per raw"
                ~ " table (events, leads, orders, survey_responses, marketing_spend); set"
                ~ " raw_data_format for Parquet. Relative paths resolve from where dbt runs."
            ) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(relation.incorporate(external=reader)) }}
{% endmacro %}

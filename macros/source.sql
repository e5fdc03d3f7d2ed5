{#-
    Wraps dbt's builtin `source()` so that, on DuckDB, the raw tables can come from files:
    when var `raw_data_path` is set, `source('tracking', 'events')` renders as
    `<raw_files_schema>.events`, the table (CSV) or view (Parquet) that the on-run-start
    hook load_raw_files (macros/raw_files.sql) made of `<raw_data_path>/events.<format>`,
    instead of `<raw_schema>.events`. Lineage is unchanged: the builtin is always called,
    so the DAG, docs and freshness still know every source.
    CSV files are loaded with every column as text: staging does all typing, so a bad value
    is quarantined with a reason instead of failing the read.
-#}
{% macro source(source_name, table_name) %}
    {%- set relation = builtins.source(source_name, table_name) -%}
    {%- if not var('raw_data_path', '') -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- if target.type != 'duckdb' -%}
        {{ exceptions.raise_compiler_error(
            "var raw_data_path is only supported on DuckDB (target type here: '"
            ~ target.type ~ "'). On other warehouses, load the files into the '"
            ~ var('raw_schema') ~ "' schema and leave raw_data_path empty."
        ) }}
    {%- endif -%}
    {{ return(relation.incorporate(path={'schema': raw_files_schema()})) }}
{% endmacro %}

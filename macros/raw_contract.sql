{#-
    The raw data contract, checked before any model, and raw files loaded before that.

    The contract is written once, in the source YAML (models/staging/<source>/
    _<source>__sources.yml): every column of a raw table, and per column in
    `config: {meta: ...}`:
      required: true           every row would be a reject without it: the run stops
      required_one_of: <group> the run stops when every column of the group is absent
      used_for: <text>         what the column is used for (shown when it is missing)
    Any other column is optional: when absent it is read as null (contract_columns), with
    a note in the log.

    on-run-start (dbt_project.yml) runs load_raw_files (var raw_data_path only), then
    check_raw_contract, so the check is the same code for files and warehouse tables.
-#}

{#- The contract of every raw table of this project: a list of
    {source_name, table_name, database, schema, identifier, columns: [{name, required,
    required_one_of, used_for}]}, from the graph's sources (the source YAML). -#}
{% macro raw_contract() -%}
    {%- set tables = [] -%}
    {%- for node in graph.get('sources', {}).values() | sort(attribute='unique_id') -%}
        {%- if node.package_name == project_name -%}
            {%- set columns = [] -%}
            {%- for column in node.columns.values() -%}
                {%- set meta = column.meta or {} -%}
                {%- do columns.append({
                    'name': column.name | lower,
                    'required': meta.get('required', false),
                    'required_one_of': meta.get('required_one_of'),
                    'used_for': meta.get('used_for') or column.description,
                }) -%}
            {%- endfor -%}
            {%- do tables.append({
                'source_name': node.source_name,
                'table_name': node.name,
                'database': node.database,
                'schema': node.schema,
                'identifier': node.identifier,
                'columns': columns,
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}

{#- The contract of one raw table (see raw_contract); none where dbt gives no graph (at
    parse time, and when compiling a unit test). -#}
{% macro raw_contract_table(source_name, table_name) -%}
    {%- if not execute or not graph.get('sources') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- for table in raw_contract() -%}
        {%- if table.source_name == source_name and table.table_name == table_name -%}
            {{ return(table) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "raw contract: no source " ~ source_name ~ "." ~ table_name ~ " is declared"
    ) }}
{%- endmacro %}

{#- Schema the files of var raw_data_path are loaded into (DuckDB only). A schema of its
    own, so that loading files never overwrites tables an EL tool loaded into raw_schema. -#}
{% macro raw_files_schema() -%}
    {{ return(var('raw_files_schema', 'raw_files')) }}
{%- endmacro %}

{#- Where a raw table is read from: the source's own relation, or, with var raw_data_path,
    the table (CSV) or view (Parquet) load_raw_files made of its file. -#}
{% macro raw_relation(table) -%}
    {%- set relation = api.Relation.create(
        database=table.database, schema=table.schema, identifier=table.identifier
    ) -%}
    {%- if var('raw_data_path', '') -%}
        {%- set relation = relation.incorporate(path={'schema': raw_files_schema()}) -%}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

{#- The file var raw_data_path points at for a raw table. -#}
{% macro raw_file_path(table) -%}
    {%- set file_format = var('raw_data_format', 'csv') | lower -%}
    {{ return(var('raw_data_path').rstrip('/') ~ '/' ~ table.identifier ~ '.' ~ file_format) }}
{%- endmacro %}

{#- Where a raw table comes from, for messages: its file, or its relation. -#}
{% macro raw_origin(table) -%}
    {%- if var('raw_data_path', '') -%}
        {{ return("file '" ~ raw_file_path(table) ~ "'") }}
    {%- endif -%}
    {{ return(raw_relation(table) | string) }}
{%- endmacro %}

{#- Lower-cased names of the columns a relation has, or none when it does not exist (yet)
    or at parse time. -#}
{% macro raw_columns_present(relation) -%}
    {#- not executing (parse), or a unit test's fixture (a CTE, not a relation) -#}
    {%- if not execute or relation.schema is none or relation.identifier is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
    {%- if existing is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(existing) -%}
        {%- do names.append(column.name | lower) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- The select list of a staging base model's first step: every column of the table's
    contract, by name; a column the raw table does not have is selected as
    `cast(null as <string type>)`, so a plain export without `_loaded_at` (or without an
    optional column) never fails with a binder error. check_raw_contract has already
    stopped the run if a required column is absent. Columns outside the contract are not
    selected. -#}
{% macro contract_columns(source_name, table_name) -%}
    {%- set present = raw_columns_present(source(source_name, table_name)) -%}
    {%- set table = raw_contract_table(source_name, table_name) -%}
    {#- Nothing to introspect (parse time, a unit test's fixture, a table not created yet):
        every column as it is. -#}
    {%- if present is none or table is none -%}
        {{ return('*') }}
    {%- endif -%}
    {%- set columns = table.columns -%}
    {%- for column in columns %}
        {% if column.name in present -%}
            {{ column.name }}
        {%- else -%}
            cast(null as {{ dbt.type_string() }}) as {{ column.name }}
        {%- endif -%}
        {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- on-run-start: checks every raw table against the contract before any model runs.
    A required column that is absent (or a group of required_one_of columns that is
    absent entirely, or a raw table that does not exist) stops the run with one message
    listing every such column of every table and what it is used for. An absent optional
    column is logged and read as null. On a fresh demo build the seed tables do not exist
    yet: they are skipped (dbt seed creates them from the contract's own columns). -#}
{% macro check_raw_contract() -%}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set demo_seeds_pending = var('load_demo_data', true) and not var('raw_data_path', '') -%}
    {%- set problems = [] -%}
    {%- for table in raw_contract() -%}
        {%- set relation = raw_relation(table) -%}
        {%- set present = raw_columns_present(relation) -%}
        {%- set name = table.source_name ~ '.' ~ table.table_name -%}
        {%- if present is none -%}
            {%- if not demo_seeds_pending -%}
                {%- do problems.append(
                    "  source " ~ name ~ " (" ~ raw_origin(table) ~ "): the table does not exist"
                ) -%}
            {%- endif -%}
        {%- else -%}
            {%- set missing_required = [] -%}
            {%- set missing_optional = [] -%}
            {%- set groups = {} -%}
            {%- for column in table.columns -%}
                {%- if column.required_one_of -%}
                    {%- do groups.setdefault(column.required_one_of, []).append(column) -%}
                {%- endif -%}
                {%- if column.name not in present -%}
                    {%- if column.required -%}
                        {%- do missing_required.append(
                            "    - " ~ column.name ~ ": " ~ column.used_for
                        ) -%}
                    {%- else -%}
                        {%- do missing_optional.append(column.name) -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endfor -%}
            {%- for group_name, members in groups.items() -%}
                {%- set names = members | map(attribute='name') | list -%}
                {%- if names | select('in', present) | list | length == 0 -%}
                    {%- do missing_required.append(
                        "    - one of " ~ names | join(', ') ~ " (" ~ group_name ~ "): "
                        ~ members[0].used_for
                    ) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if missing_required -%}
                {%- do problems.append(
                    "  source " ~ name ~ " (" ~ raw_origin(table) ~ "):\n"
                    ~ missing_required | join('\n')
                ) -%}
            {%- endif -%}
            {%- if missing_optional -%}
                {{ log(
                    "Raw data contract: source " ~ name ~ " (" ~ raw_origin(table) ~ ") has no"
                    ~ " column " ~ missing_optional | join(', ') ~ ": optional, read as null.",
                    info=true
                ) }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "Raw data contract: required columns are missing, so every row would be"
            ~ " rejected. Nothing was built. Add them to the raw tables (or files) and run"
            ~ " again; the contract is in models/staging/<source>/_<source>__sources.yml"
            ~ " (README, 'The raw data contract').\n" ~ problems | join('\n')
        ) }}
    {%- endif -%}
    select 1
{%- endmacro %}

{#- The body of an import CTE: the unreadable lines of a raw table (source_file,
    source_line_number, raw_line, read_error), from the `<table>__unreadable_lines`
    relation next to where the table is read from (load_raw_files writes one for every
    file; an EL tool may provide one). Where there is none, an empty select of the same
    columns: decided at compile time. The relation comes from the source's graph node, not
    from source(), so that the rejects models stay downstream of their base model only. -#}
{% macro unreadable_lines(source_name, table_name) -%}
    {%- set table = raw_contract_table(source_name, table_name) -%}
    {%- set lines_relation = none -%}
    {%- if table is not none -%}
        {%- set relation = raw_relation(table) -%}
        {%- set lines_relation = adapter.get_relation(
            database=relation.database,
            schema=relation.schema,
            identifier=relation.identifier ~ '__unreadable_lines'
        ) -%}
    {%- endif -%}
    {%- if lines_relation is not none -%}
        select
            cast(source_file as {{ dbt.type_string() }}) as source_file,
            cast(source_line_number as {{ dbt.type_bigint() }}) as source_line_number,
            cast(raw_line as {{ dbt.type_string() }}) as raw_line,
            cast(read_error as {{ dbt.type_string() }}) as read_error
        from {{ lines_relation }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as source_file,
            cast(null as {{ dbt.type_bigint() }}) as source_line_number,
            cast(null as {{ dbt.type_string() }}) as raw_line,
            cast(null as {{ dbt.type_string() }}) as read_error
        where 1 = 0
    {%- endif -%}
{%- endmacro %}

{#-
    Loading var raw_data_path (DuckDB only), in on-run-start before check_raw_contract.

    For each raw table, `<raw_data_path>/<table>.<raw_data_format>` becomes
    `<raw_files_schema>.<table>`, which the source() wrapper (macros/source.sql) reads, and
    `<raw_files_schema>.<table>__unreadable_lines` (source_file, source_line_number,
    raw_line, read_error), which the rejects models read (unreadable_lines):

    - CSV: read with a declared dialect, never sniffed: UTF-8, comma-delimited, fields
      quoted with `"` and a quote inside a quoted field doubled, LF or CRLF line ends, a
      header row whose names (trimmed, lower-cased) name the columns, every value text.
      A record DuckDB cannot read (invalid UTF-8, too many or too few fields, an
      unterminated quote, a truncated last line) is stored as an unreadable line (DuckDB's
      store_rejects) and the rest of the file loads. Rejects tables are TEMP tables of the
      connection, so everything about one file happens in this hook's connection.
    - Parquet: a view over the file (no line can be unreadable there).
    - An absent or empty (0-byte) file: an empty table of the contract's columns, with a
      warning naming the file. A header-only CSV is an empty table.
-#}

{% macro load_raw_files() -%}
    {{ return(adapter.dispatch('load_raw_files', 'journey_kpis')()) }}
{%- endmacro %}

{% macro default__load_raw_files() -%}
    {%- if var('raw_data_path', '') -%}
        {{ exceptions.raise_compiler_error(
            "var raw_data_path is only supported on DuckDB (target type here: '"
            ~ target.type ~ "'). On other warehouses, load the files into the '"
            ~ var('raw_schema') ~ "' schema and leave raw_data_path empty."
        ) }}
    {%- endif -%}
    select 1
{%- endmacro %}

{% macro duckdb__load_raw_files() -%}
    {%- if not execute or not var('raw_data_path', '') -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set file_format = var('raw_data_format', 'csv') | lower -%}
    {%- if file_format not in ('csv', 'parquet') -%}
        {{ exceptions.raise_compiler_error(
            "var raw_data_format must be 'csv' or 'parquet', got '" ~ file_format ~ "'"
        ) }}
    {%- endif -%}
    {%- do run_query('create schema if not exists ' ~ raw_files_schema()) -%}
    {%- for table in raw_contract() -%}
        {%- do _load_raw_file(table, file_format) -%}
    {%- endfor -%}
    select 1
{%- endmacro %}

{#- A SQL string literal. -#}
{% macro _sql_string(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{#- A statement dropping `relation` when it exists as the other kind than `kind` (table or
    view; a rebuild that switched raw_data_format), else nothing. DuckDB's `drop view if
    exists` fails on a table (and `drop table` on a view), so the kind is looked up. -#}
{% macro _drop_if_other_kind(relation, kind) -%}
    {%- set existing = run_query(
        "select table_type from information_schema.tables where table_schema = "
        ~ _sql_string(relation.schema) ~ " and table_name = " ~ _sql_string(relation.identifier)
    ).columns[0].values() -%}
    {%- if existing | length > 0 -%}
        {%- set existing_kind = 'view' if existing[0] == 'VIEW' else 'table' -%}
        {%- if existing_kind != kind -%}
            {{- 'drop ' ~ existing_kind ~ ' ' ~ relation ~ '; ' -}}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro _load_raw_file(table, file_format) -%}
    {%- set path = raw_file_path(table) -%}
    {%- set relation = raw_relation(table) -%}
    {%- set lines_relation = relation.incorporate(
        path={'identifier': table.identifier ~ '__unreadable_lines'}
    ) -%}
    {%- set label = "var raw_data_path: file '" ~ path ~ "' (source " ~ table.source_name
        ~ "." ~ table.table_name ~ ")" -%}
    {%- set found = run_query(
        'select count(*) from glob(' ~ _sql_string(path) ~ ')'
    ).columns[0].values()[0] -%}
    {%- set size = none -%}
    {%- if found > 0 -%}
        {%- set size = run_query(
            'select size from read_blob(' ~ _sql_string(path) ~ ')'
        ).columns[0].values()[0] -%}
    {%- endif -%}
    {%- if found == 0 or size == 0 -%}
        {%- if found == 0 -%}
            {%- set problem = "does not exist: read as an empty table. The directory holds"
                ~ " one " ~ file_format ~ " file per raw table (events, leads, orders,"
                ~ " survey_responses, marketing_spend); relative paths resolve from where dbt"
                ~ " runs." -%}
        {%- else -%}
            {%- set problem = "is empty (0 bytes): read as an empty table." -%}
        {%- endif -%}
        {{ exceptions.warn(label ~ " " ~ problem) }}
        {%- set empty_columns = [] -%}
        {%- for column in table.columns -%}
            {%- do empty_columns.append('cast(null as varchar) as ' ~ column.name) -%}
        {%- endfor -%}
        {%- do run_query(
            _drop_if_other_kind(relation, 'table') ~ 'create or replace table ' ~ relation
            ~ ' as select ' ~ empty_columns | join(', ') ~ ' limit 0'
        ) -%}
        {%- do _no_unreadable_lines(lines_relation) -%}
    {%- elif file_format == 'parquet' -%}
        {%- do run_query(
            _drop_if_other_kind(relation, 'view') ~ 'create or replace view ' ~ relation
            ~ ' as select * from read_parquet(' ~ _sql_string(path) ~ ')'
        ) -%}
        {%- do _no_unreadable_lines(lines_relation) -%}
    {%- else -%}
        {%- do _load_csv_file(table, path, relation, lines_relation, label) -%}
    {%- endif -%}
{%- endmacro %}

{% macro _no_unreadable_lines(lines_relation) -%}
    {%- do run_query(
        'create or replace table ' ~ lines_relation ~ ' (source_file varchar,'
        ~ ' source_line_number bigint, raw_line varchar, read_error varchar)'
    ) -%}
{%- endmacro %}

{#- The declared CSV dialect (README, "Bring your own raw data"). -#}
{% macro _csv_dialect() -%}
    delim = ',', quote = '"', escape = '"', auto_detect = false
{%- endmacro %}

{#- The column names of a CSV file's header row, parsed with the declared dialect:
    trimmed and lower-cased; a blank name becomes column_<n>. -#}
{% macro _csv_header(path, label) -%}
    {%- set max_columns = 512 -%}
    {%- set columns = [] -%}
    {%- for n in range(1, max_columns + 1) -%}
        {%- do columns.append("'c" ~ n ~ "': 'VARCHAR'") -%}
    {%- endfor -%}
    {%- set header = run_query(
        'select * from read_csv(' ~ _sql_string(path) ~ ', ' ~ _csv_dialect()
        ~ ', header = false, columns = {' ~ columns | join(', ') ~ '},'
        ~ ' null_padding = true, parallel = false, ignore_errors = true) limit 1'
    ) -%}
    {%- if header.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error(label ~ ": no readable header row.") }}
    {%- endif -%}
    {%- set values = header.rows[0].values() | list -%}
    {%- if values[max_columns - 1] is not none -%}
        {{ exceptions.raise_compiler_error(
            label ~ ": the header row has more than " ~ max_columns ~ " columns."
        ) }}
    {%- endif -%}
    {%- set last = namespace(index=0) -%}
    {%- for value in values -%}
        {%- if value is not none -%}
            {%- set last.index = loop.index -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set names = [] -%}
    {%- for value in values[:last.index] -%}
        {%- set name = (value or '') | trim | lower -%}
        {%- set name = name if name else 'column_' ~ loop.index -%}
        {%- if name in names -%}
            {{ exceptions.raise_compiler_error(
                label ~ ": the header row names column '" ~ name ~ "' twice."
            ) }}
        {%- endif -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{% macro _load_csv_file(table, path, relation, lines_relation, label) -%}
    {%- set names = _csv_header(path, label) -%}
    {%- set columns = [] -%}
    {%- for name in names -%}
        {%- do columns.append(_sql_string(name) ~ ": 'VARCHAR'") -%}
    {%- endfor -%}
    {#- TEMP tables of this connection; dropped first, since DuckDB appends to them. -#}
    {%- set rejects = 'journey_kpis_rejects_' ~ table.identifier -%}
    {%- set scans = 'journey_kpis_scans_' ~ table.identifier -%}
    {%- do run_query(
        'drop table if exists temp.' ~ rejects ~ '; drop table if exists temp.' ~ scans ~ ';'
        ~ ' ' ~ _drop_if_other_kind(relation, 'table')
        ~ ' create or replace table ' ~ relation ~ ' as select * from read_csv('
        ~ _sql_string(path) ~ ', ' ~ _csv_dialect() ~ ', header = true,'
        ~ ' columns = {' ~ columns | join(', ') ~ '}, store_rejects = true,'
        ~ " rejects_table = '" ~ rejects ~ "', rejects_scan = '" ~ scans ~ "')"
    ) -%}
    {%- set unreadable = run_query(
        'select count(distinct line) from temp.' ~ rejects
    ).columns[0].values()[0] -%}
    {%- if unreadable == 0 -%}
        {%- do _no_unreadable_lines(lines_relation) -%}
    {%- else -%}
        {%- do run_query(_unreadable_lines_sql(path, rejects, lines_relation)) -%}
        {{ log(
            label ~ ": " ~ unreadable ~ " unreadable line(s) are rejected as unreadable_line"
            ~ " (see the source's rejects model); the rest of the file is loaded.",
            info=true
        ) }}
    {%- endif -%}
    {%- do run_query(
        'drop table if exists temp.' ~ rejects ~ '; drop table if exists temp.' ~ scans
    ) -%}
{%- endmacro %}

{#- One row per unreadable record of a file, from DuckDB's rejects table:
    - source_line_number: the line of the file the record starts on (1 = the header),
      counting every line feed before it in the file's bytes (DuckDB's own `line` counts
      records, which differs once a quoted field has spanned lines);
    - raw_line: the record's text as DuckDB read it; for a record that is not valid UTF-8,
      its bytes, with every byte outside printable ASCII (and the backslash) written as
      \xNN, so the bad byte is shown rather than replaced;
    - read_error: DuckDB's error type(s) and message(s).
    A record start DuckDB reports on the LF of a CRLF is moved past it. -#}
{% macro _unreadable_lines_sql(path, rejects, lines_relation) -%}
    create or replace table {{ lines_relation }} as
    with

    errors as (
        select
            line as record_number,
            min(line_byte_position) as start_position,
            any_value(csv_line) as csv_line,
            bool_or(error_type = 'INVALID ENCODING') as is_invalid_encoding,
            string_agg(distinct cast(error_type as varchar), ', ')
            || ': ' || arg_min(error_message, byte_position) as read_error
        from temp.{{ rejects }}
        group by line
    ),

    file_bytes as (
        select content from read_blob({{ _sql_string(path) }})
    ),

    segments as (
        select
            errors.*,
            cast(
                file_bytes.content[
                    coalesce(lag(errors.start_position) over (order by errors.start_position), 0)
                    + 1 : errors.start_position
                ] as varchar
            ) as bytes_before,
            cast(
                file_bytes.content[
                    errors.start_position
                    : errors.start_position + 4 * length(errors.csv_line) + 8
                ] as varchar
            ) as bytes_from_start
        from errors
        cross join file_bytes
    ),

    counted as (
        select
            *,
            1 + sum(
                (length(bytes_before) - length(replace(bytes_before, '\x0A', ''))) // 4
            ) over (order by start_position rows unbounded preceding) as source_line_number,
            regexp_replace(csv_line, '^\n', '') as record_text,
            regexp_replace(bytes_from_start, '^\\x0A', '') as escaped_from_start
        from segments
    ),

    escaped as (
        select
            *,
            replace(
                replace(
                    regexp_replace(
                        array_to_string(
                            string_split(escaped_from_start, '\x0A')[
                                1 : 1 + length(record_text) - length(replace(record_text, chr(10), ''))
                            ],
                            chr(10)
                        ),
                        '\\x0D$',
                        ''
                    ),
                    '\x22',
                    '"'
                ),
                '\x27',
                ''''
            ) as escaped_line
        from counted
    )

    select
        {{ _sql_string(path) }} as source_file,
        source_line_number,
        case
            when is_invalid_encoding then escaped_line
            else regexp_replace(record_text, '\r$', '')
        end as raw_line,
        read_error
    from escaped
    order by source_line_number
{%- endmacro %}

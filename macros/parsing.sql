{#- Parsing helpers used by staging. Raw values are treated as untrusted text: each helper
    returns null when a value cannot be parsed, and staging turns that null into a
    reject_reason (never a cast error deep in SQL). Dialect differences live in dispatched
    implementations (`default__` + `duckdb__`/`postgres__`/`spark__`). -#}

{#- Text: cast to string, trim, blank -> null. -#}
{% macro clean_text(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{#- Codes: like clean_text, lower-cased. -#}
{% macro clean_code(expression) -%}
    lower({{ clean_text(expression) }})
{%- endmacro %}

{#- Timestamp in UTC (ISO-8601: `2025-03-01 10:00:00`, `2025-03-01T10:00:00Z`, with or
    without an offset), or null when unparseable. -#}
{% macro parse_timestamp(expression) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__parse_timestamp(expression) -%}
    {{ dbt.safe_cast(expression, api.Column.translate_type('timestamp')) }}
{%- endmacro %}

{% macro duckdb__parse_timestamp(expression) -%}
    {#- Through timestamptz so that an explicit offset is honoured, then back to UTC. -#}
    timezone('UTC', try_cast({{ expression }} as timestamptz))
{%- endmacro %}

{#- Date (`YYYY-MM-DD`) or null. -#}
{% macro parse_date(expression) -%}
    {{ return(adapter.dispatch('parse_date', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__parse_date(expression) -%}
    {{ dbt.safe_cast(expression, api.Column.translate_type('date')) }}
{%- endmacro %}

{#- Decimal number or null. -#}
{% macro parse_number(expression) -%}
    {{ return(adapter.dispatch('parse_number', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__parse_number(expression) -%}
    {{ dbt.safe_cast(expression, dbt.type_numeric()) }}
{%- endmacro %}

{#- Whole number or null: `7` and `7.0` parse, `7.5` and `ten` do not. -#}
{% macro parse_integer(expression) -%}
    case
        when {{ parse_number(expression) }} = floor({{ parse_number(expression) }})
            then cast({{ parse_number(expression) }} as {{ dbt.type_bigint() }})
    end
{%- endmacro %}

{#- Boolean from true/false, t/f, 1/0, yes/no, y/n (any case), else null. -#}
{% macro parse_boolean(expression) -%}
    case
        when lower(trim({{ expression }})) in ('true', 't', '1', 'yes', 'y') then true
        when lower(trim({{ expression }})) in ('false', 'f', '0', 'no', 'n') then false
    end
{%- endmacro %}

{#- True when the text is a JSON object. -#}
{% macro is_json_object(expression) -%}
    {{ return(adapter.dispatch('is_json_object', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__is_json_object(expression) -%}
    {#- PostgreSQL 16+: pg_input_is_valid. Older servers have no non-failing JSON check. -#}
    (pg_input_is_valid({{ expression }}, 'jsonb')
        and jsonb_typeof(cast({{ expression }} as jsonb)) = 'object')
{%- endmacro %}

{% macro duckdb__is_json_object(expression) -%}
    {#- json_type raises on malformed JSON, and DuckDB does not short-circuit `and`: the
        CASE inside the argument keeps malformed values away from it. -#}
    coalesce(
        json_type(case when json_valid({{ expression }}) then {{ expression }} end) = 'OBJECT',
        false
    )
{%- endmacro %}

{% macro spark__is_json_object(expression) -%}
    (get_json_object({{ expression }}, '$') is not null and substr(trim({{ expression }}), 1, 1) = '{{ "{" }}')
{%- endmacro %}

{#- The value of a top-level key of a JSON object, as text. Only pass values that passed
    is_json_object, e.g. `case when <is_json_object> then col end` (DuckDB raises on
    malformed JSON, and a CASE around the call does not stop its optimizer evaluating it). -#}
{% macro json_text(expression, key) -%}
    {{ return(adapter.dispatch('json_text', 'journey_kpis')(expression, key)) }}
{%- endmacro %}

{% macro default__json_text(expression, key) -%}
    (cast({{ expression }} as jsonb) ->> '{{ key }}')
{%- endmacro %}

{% macro duckdb__json_text(expression, key) -%}
    json_extract_string({{ expression }}, '$.{{ key }}')
{%- endmacro %}

{% macro spark__json_text(expression, key) -%}
    get_json_object({{ expression }}, '$.{{ key }}')
{%- endmacro %}

{#- The build's current time, in UTC, as a timestamp without zone. -#}
{% macro utc_now() -%}
    {{ return(adapter.dispatch('utc_now', 'journey_kpis')()) }}
{%- endmacro %}

{% macro default__utc_now() -%}
    cast({{ dbt.current_timestamp() }} as {{ api.Column.translate_type('timestamp') }})
{%- endmacro %}

{% macro duckdb__utc_now() -%}
    timezone('UTC', now())
{%- endmacro %}

{% macro postgres__utc_now() -%}
    (now() at time zone 'utc')
{%- endmacro %}

{#- Latest acceptable raw timestamp: anything after it is rejected as "future". -#}
{% macro future_cutoff() -%}
    {{ dbt.dateadd('hour', var('future_tolerance_hours', 24), utc_now()) }}
{%- endmacro %}

{#- Pseudonymous, salted hash of an e-mail address (lower-cased, trimmed). The salt comes
    from env var JOURNEY_KPIS_EMAIL_SALT; set it in production so hashes cannot be
    reversed with a dictionary of known addresses. -#}
{% macro hash_email(expression) -%}
    {{ dbt.hash(dbt.concat(["'" ~ env_var('JOURNEY_KPIS_EMAIL_SALT', '') ~ "'", 'lower(' ~ expression ~ ')'])) }}
{%- endmacro %}

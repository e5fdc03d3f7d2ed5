{#- PostgreSQL < 16 has no try_cast / pg_input_is_valid: a cast raises on a bad value. An
    on-run-start hook (dbt_project.yml) creates journey_kpis_try_cast(text, sample) in the
    staging schema (not `public`: on PG 15+ only the database owner may create there); it
    returns the value cast to the sample's type, or null on a data error. The staging views
    call it, so it must stay in place.
    PostgreSQL also accepts values DuckDB rejects ('yesterday', '03/15/2025' under DateStyle
    MDY, 'NaN'), so the parse_* macros check the shape with a regex first. -#}
{% macro create_safe_parse_functions() -%}
    {{ return(adapter.dispatch('create_safe_parse_functions', 'journey_kpis')()) }}
{%- endmacro %}

{% macro default__create_safe_parse_functions() -%}
    select 1
{%- endmacro %}

{% macro _pg_udf_schema() -%}
    {{ generate_schema_name('staging', none) | trim }}
{%- endmacro %}

{% macro postgres__create_safe_parse_functions() -%}
    create schema if not exists {{ _pg_udf_schema() }};
    create or replace function {{ _pg_udf_schema() }}.journey_kpis_try_cast(
        value text, sample anyelement
    ) returns anyelement language plpgsql stable as $$
    declare result sample%type;
    begin
        result := value;  -- I/O conversion with the type's input function
        return result;
    exception when data_exception then return null;
    end $$;
    {#- A type modifier (numeric(28,6)) is lost on a polymorphic argument: cast dynamically. -#}
    create or replace function {{ _pg_udf_schema() }}.journey_kpis_try_cast(
        value text, type_name text, sample anyelement
    ) returns anyelement language plpgsql stable as $$
    declare result sample%type;
    begin
        execute format('select cast($1 as %s)', type_name) into result using value;
        return result;
    exception when data_exception then return null;
    end $$;
{%- endmacro %}

{% macro postgres__safe_cast(field, type) -%}
    {%- if '(' in type -%}
        {{ _pg_udf_schema() }}.journey_kpis_try_cast(cast({{ field }} as text), '{{ type }}', cast(null as {{ type }}))
    {%- else -%}
        {{ _pg_udf_schema() }}.journey_kpis_try_cast(cast({{ field }} as text), cast(null as {{ type }}))
    {%- endif -%}
{%- endmacro %}

{#- ISO-8601-like date prefix (DuckDB also takes `/` and 1-digit month/day). -#}
{% macro _pg_date_re() -%}^\s*[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}{%- endmacro %}
{% macro _pg_time_re() -%}[T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?{%- endmacro %}

{#- An era suffix as DuckDB writes and reads it (`0044-03-15 (BC)`), and the special
    values `infinity` / `-infinity`, parse as on DuckDB (then rejected as implausible_past
    or future, not as malformed). -#}
{% macro _pg_era_re() -%}(\s*\(?[Bb][Cc]\)?)?{%- endmacro %}
{% macro _pg_infinity_re() -%}^\s*[+-]?[Ii][Nn][Ff][Ii][Nn][Ii][Tt][Yy]\s*${%- endmacro %}

{% macro postgres__parse_timestamp(expression) -%}
    case
        when {{ expression }} ~ '{{ _pg_date_re() }}{{ _pg_time_re() }}\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?)\s*$'
            then {{ dbt.safe_cast(expression, 'timestamptz') }} at time zone 'UTC'
        when {{ expression }} ~ '{{ _pg_date_re() }}({{ _pg_time_re() }})?{{ _pg_era_re() }}\s*$'
            or {{ expression }} ~ '{{ _pg_infinity_re() }}'
            then {{ dbt.safe_cast(expression, 'timestamp') }}
    end
{%- endmacro %}

{% macro postgres__parse_date(expression) -%}
    case
        when {{ expression }} ~ '{{ _pg_date_re() }}({{ _pg_time_re() }})?{{ _pg_era_re() }}\s*$'
            or {{ expression }} ~ '{{ _pg_infinity_re() }}'
            then {{ dbt.safe_cast(expression, 'date') }}
    end
{%- endmacro %}

{#- Plain decimal or scientific notation: no NaN/Infinity, no thousands separators.
    Unconstrained numeric, not dbt.type_numeric() = numeric(28,6): dbt-postgres types unit
    test fixtures as plain numeric (no typmod), and the text diff then sees 12 != 12.000000. -#}
{% macro postgres__parse_number(expression) -%}
    case
        when {{ expression }} ~ '^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$'
            then {{ dbt.safe_cast(expression, 'numeric') }}
    end
{%- endmacro %}

{% macro postgres__is_json_object(expression) -%}
    coalesce(jsonb_typeof({{ dbt.safe_cast(expression, 'jsonb') }}) = 'object', false)
{%- endmacro %}

{#- Spark's timestamps and dates have no infinity and no era: a cast of `-infinity`,
    `infinity` or `0044-03-15 (BC)` (DuckDB's notation, which DuckDB and PostgreSQL read)
    gives null, so such a value would be rejected as malformed instead of implausible_past
    or future. These read them as the earliest / latest value Spark has, so every engine
    gives the same reject reason. Everything else is try_cast (the session must be UTC). -#}

{#- Text with a BC era suffix whose date part parses; its value is irrelevant (rejected as
    implausible_past), so it maps to the earliest value. -#}
{% macro _spark_is_bc(expression, type) -%}
    ({{ expression }} rlike '(?i)\\s*\\(?bc\\)?\\s*$'
        and try_cast(regexp_replace({{ expression }}, '(?i)\\s*\\(?bc\\)?\\s*$', '') as {{ type }})
        is not null)
{%- endmacro %}

{% macro spark__parse_timestamp(expression) -%}
    case
        when lower({{ expression }}) = '-infinity' or {{ _spark_is_bc(expression, 'timestamp') }}
            then timestamp'0001-01-01 00:00:00'
        when lower({{ expression }}) in ('infinity', '+infinity')
            then timestamp'9999-12-31 23:59:59'
        else try_cast({{ expression }} as timestamp)
    end
{%- endmacro %}

{% macro spark__parse_date(expression) -%}
    case
        when lower({{ expression }}) = '-infinity' or {{ _spark_is_bc(expression, 'date') }}
            then date'0001-01-01'
        when lower({{ expression }}) in ('infinity', '+infinity')
            then date'9999-12-31'
        else try_cast({{ expression }} as date)
    end
{%- endmacro %}

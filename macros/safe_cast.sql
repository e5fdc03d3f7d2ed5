{#- dbt-duckdb does not implement dbt.safe_cast, so dbt's default (a plain cast, which
    raises on a bad value) would apply. This fills the gap with DuckDB's try_cast; the
    `dispatch` block in dbt_project.yml makes dbt.safe_cast find it. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{#- dbt-spark's safe_cast is a plain cast, which raises on a bad value under Spark's ANSI
    mode (the default from Spark 4). try_cast needs Spark 3.2+. -#}
{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

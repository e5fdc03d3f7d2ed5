{#- Text in a tie-break (`order by occurred_at, event_id`) or a min/max must order the
    same way on every engine, or two engines keep different rows. DuckDB and Spark compare
    text by its bytes (code points); PostgreSQL by the database's collation (en_US, ICU...),
    which may put `a-1` after `a1` or `B` before `a`. binary_collation() makes PostgreSQL
    compare by bytes too (collation "C"); elsewhere it is the expression itself. -#}
{% macro binary_collation(expression) -%}
    {{ return(adapter.dispatch('binary_collation', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__binary_collation(expression) -%}
    {{ expression }}
{%- endmacro %}

{% macro postgres__binary_collation(expression) -%}
    ({{ expression }} collate "C")
{%- endmacro %}

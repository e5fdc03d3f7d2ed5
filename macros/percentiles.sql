{#- Portable continuous percentile aggregate (linear interpolation between the two nearest
    values, as percentile_cont): the p-th quantile (0..1) of an expression over the group.
    Dispatched like median_of (macros/kpi_formulas.sql): DuckDB quantile_cont, PostgreSQL
    (default) percentile_cont(p) within group, Spark percentile (exact, interpolating). -#}
{% macro percentile_of(expression, fraction) %}
    {{ return(adapter.dispatch('percentile_of', 'journey_kpis')(expression, fraction)) }}
{% endmacro %}

{% macro default__percentile_of(expression, fraction) %}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{% endmacro %}

{% macro duckdb__percentile_of(expression, fraction) %}
    quantile_cont({{ expression }}, {{ fraction }})
{% endmacro %}

{% macro spark__percentile_of(expression, fraction) %}
    percentile({{ expression }}, {{ fraction }})
{% endmacro %}

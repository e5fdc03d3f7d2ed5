{#- One macro per KPI formula (kpi_catalog decisions). Every model that needs a formula calls
    the macro, so a KPI cannot be computed two ways. Arguments are SQL expressions. -#}

{% macro safe_divide(numerator, denominator) %}
    {#- numerator / denominator as a double; null (never an error) when the denominator is 0
        or null. -#}
    case
        when {{ denominator }} = 0 then null
        else cast({{ numerator }} as {{ type_double() }}) / {{ denominator }}
    end
{% endmacro %}


{% macro nps_numerator(promoters, detractors) %}
    {#- The NPS formula as a ratio: 100 x (promoters - detractors), over respondents, gives
        % promoters (9-10) - % detractors (0-6) on -100..100 (kpi_row divides). -#}
    (100 * ({{ promoters }} - {{ detractors }}))
{% endmacro %}


{% macro customers_retained(customers_at_end, new_customers) %}
    {#- Numerator of the customer retention rate: customers at the end of the period who were
        already customers at its start. -#}
    ({{ customers_at_end }} - {{ new_customers }})
{% endmacro %}


{% macro net_user_growth(new_users, lost_users) %}
    {#- Numerator of the new-user growth rate: users gained minus users lost. -#}
    ({{ new_users }} - {{ lost_users }})
{% endmacro %}


{% macro marketing_return(attributed_gross_margin, spend) %}
    {#- Numerator of marketing ROI: attributed gross margin minus spend (over spend). -#}
    ({{ attributed_gross_margin }} - {{ spend }})
{% endmacro %}


{% macro predicted_clv(average_order_value, purchases_per_year, gross_margin_rate, annual_churn_rate) %}
    {#- Predicted, margin-adjusted customer lifetime value:
        AOV x purchases per year x gross margin % x expected lifespan in years, the lifespan
        being 1 / annual churn rate. Null when churn is 0 (unbounded lifespan) or unknown. -#}
    ({{ average_order_value }} * {{ purchases_per_year }} * {{ gross_margin_rate }}
        * {{ safe_divide('1', annual_churn_rate) }})
{% endmacro %}


{% macro median_of(expression) %}
    {{ return(adapter.dispatch('median_of', 'journey_kpis')(expression)) }}
{% endmacro %}

{% macro default__median_of(expression) %}
    percentile_cont(0.5) within group (order by {{ expression }})
{% endmacro %}

{% macro spark__median_of(expression) %}
    percentile({{ expression }}, 0.5)
{% endmacro %}


{% macro flag_count(condition) %}
    {#- Number of rows meeting a condition (portable replacement for count(*) filter). -#}
    sum(case when {{ condition }} then 1 else 0 end)
{% endmacro %}

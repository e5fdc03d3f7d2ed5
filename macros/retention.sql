{#- Rules of the customer-base, customer-health and funnel models (retention KPIs). -#}

{% macro kpi_period_start_column(period_grain, dates_relation='dates') %}
    {#- The dim_date column holding the start of a day / week / month period. -#}
    {%- if period_grain == 'day' -%}
        {{ dates_relation }}.date_day
    {%- elif period_grain == 'week' -%}
        {{ dates_relation }}.week_start_date
    {%- elif period_grain == 'month' -%}
        {{ dates_relation }}.month_start_date
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown period grain '" ~ period_grain ~ "'") }}
    {%- endif -%}
{% endmacro %}


{% macro kpi_period_spine(
    bounds_relation,
    start_column,
    end_column,
    partition_columns=[],
    dates_relation='dates'
) %}
    {#- Every period (of each grain of kpi_period_grains) holding at least one day between
        start_column and end_column of each row of bounds_relation (both inclusive), with
        the row's partition columns: one row per partition x period_grain x period_start. -#}
    {%- for grain in kpi_period_grains() %}
    select distinct
        {%- for column in partition_columns %}
        {{ bounds_relation }}.{{ column }},
        {%- endfor %}
        '{{ grain }}' as period_grain,
        {{ kpi_period_start_column(grain, dates_relation) }} as period_start
    from {{ bounds_relation }}
    inner join {{ dates_relation }}
        on
            {{ dates_relation }}.date_day >= {{ bounds_relation }}.{{ start_column }}
            and {{ dates_relation }}.date_day <= {{ bounds_relation }}.{{ end_column }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}


{% macro satisfaction_points(survey_type, score, nps_band) %}
    {#- Satisfaction component of the customer health score (0..100) of one CSAT or NPS
        answer: CSAT 4-5 = 100, 3 = 50, 1-2 = 0; NPS promoter 100, passive 50, detractor 0. -#}
    case
        when {{ survey_type }} = 'csat' and {{ score }} >= 4 then 100
        when {{ survey_type }} = 'csat' and {{ score }} = 3 then 50
        when {{ survey_type }} = 'csat' then 0
        when {{ nps_band }} = 'promoter' then 100
        when {{ nps_band }} = 'passive' then 50
        when {{ nps_band }} = 'detractor' then 0
    end
{% endmacro %}


{% macro activity_trend_points(recent_active_days, earlier_active_days) %}
    {#- Activity-trend component of the customer health score (0..100): more active days in
        the recent half of the lookback window than in the earlier half = 100, as many = 50,
        fewer = 0, no active day at all = 0. -#}
    case
        when {{ recent_active_days }} + {{ earlier_active_days }} = 0 then 0
        when {{ recent_active_days }} > {{ earlier_active_days }} then 100
        when {{ recent_active_days }} = {{ earlier_active_days }} then 50
        else 0
    end
{% endmacro %}


{% macro is_in_top_decile(rank_expression, population_expression) %}
    {#- True when a rank (1 = highest; rank() so that ties share a rank) falls in the top
        decile of a population: rank <= ceil(population / 10), in integer arithmetic.
        Ties at the cut-off share its rank, so they are all in. -#}
    (10 * ({{ rank_expression }}) <= ({{ population_expression }}) + 9)
{% endmacro %}

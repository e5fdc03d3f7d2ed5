{#- The machinery every KPI model shares: fan rows out to periods and roll-up slices, and
    write one long KPI row. The formulas themselves are in kpi_formulas.sql. -#}

{% macro type_double() %}
    {{ return(adapter.dispatch('type_double', 'journey_kpis')()) }}
{% endmacro %}

{% macro default__type_double() %}double precision{% endmacro %}

{% macro spark__type_double() %}double{% endmacro %}


{% macro kpi_period_grains() %}
    {#- Period grains the KPI models compute (var kpi_period_grains; default day, week, month). -#}
    {%- set grains = var('kpi_period_grains', ['day', 'week', 'month']) -%}
    {%- for grain in grains if grain not in ['day', 'week', 'month'] -%}
        {{ exceptions.raise_compiler_error(
            "var kpi_period_grains: unknown grain '" ~ grain ~ "' (allowed: day, week, month)"
        ) }}
    {%- endfor -%}
    {{ return(grains) }}
{% endmacro %}


{% macro kpi_slice_grid(slice_channels=true, slice_personas=true) %}
    {#- One row per (period grain x channel detail/roll-up x persona detail/roll-up). -#}
    {%- set rollups = var('kpi_rollups', true) -%}
    {%- set channel_options = ([false, true] if rollups else [false]) if slice_channels else [true] -%}
    {%- set persona_options = ([false, true] if rollups else [false]) if slice_personas else [true] -%}
    {%- set rows = [] -%}
    {%- for grain in kpi_period_grains() -%}
        {%- for all_channels in channel_options -%}
            {%- for all_personas in persona_options -%}
                {%- do rows.append(
                    "select '" ~ grain ~ "' as period_grain, "
                    ~ all_channels ~ " as is_all_channels, "
                    ~ all_personas ~ " as is_all_personas"
                ) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') | lower }}
{% endmacro %}


{% macro kpi_slices(
    relation,
    date_column,
    carry_columns=[],
    channel_column='channel',
    persona_column='persona',
    slice_channels=true,
    slice_personas=true,
    dates_relation='dates'
) %}
    {#- Fan each row of `relation` out to every KPI slice it belongs to: the day, ISO week and
        month holding `date_column` (from the dim_date CTE `dates_relation`), crossed with its
        own channel and `all`, and its own persona and `all`. Aggregating the result by
        (period_grain, period_start, channel, persona) yields every slice and every roll-up in
        one pass, computed from the rows themselves: ratios are never re-aggregated.
        With slice_channels/slice_personas false the column is always `all`. -#}
    select
        slice_grid.period_grain,
        case slice_grid.period_grain
            when 'day' then {{ dates_relation }}.date_day
            when 'week' then {{ dates_relation }}.week_start_date
            else {{ dates_relation }}.month_start_date
        end as period_start,
        {% if slice_channels -%}
        case
            when slice_grid.is_all_channels then 'all'
            else {{ relation }}.{{ channel_column }}
        end as channel,
        {%- else -%}
        'all' as channel,
        {%- endif %}
        {% if slice_personas -%}
        case
            when slice_grid.is_all_personas then 'all'
            else {{ relation }}.{{ persona_column }}
        end as persona
        {%- else -%}
        'all' as persona
        {%- endif %}
        {%- for column in carry_columns %},
        {{ relation }}.{{ column }}
        {%- endfor %}
    from {{ relation }}
    inner join {{ dates_relation }}
        on {{ relation }}.{{ date_column }} = {{ dates_relation }}.date_day
    cross join (
    {{ kpi_slice_grid(slice_channels, slice_personas) }}
    ) as slice_grid
{% endmacro %}


{% macro kpi_day_cells(
    relation,
    date_column,
    sum_columns=[],
    key_columns=[],
    count_column=none,
    channel_column='channel',
    persona_column='persona'
) %}
    {#- Pre-aggregate `relation` once at the finest KPI grain before kpi_slices fans it out:
        one row per (date_column, channel, persona, key_columns...) holding sum() of each of
        sum_columns (and count(*) as count_column when given). Summing the cells of a slice
        gives exactly the sum over its rows, so additive measures are fanned out once per
        cell instead of once per row. For distinct counts pass the counted column(s) as
        key_columns: the cells are then the pre-deduplicated rows (e.g. one per person and
        day), and count(distinct) over their fan-out equals count(distinct) over the raw
        rows. Null channel, persona or key values form their own cell, as they form their
        own group downstream. -#}
    {%- set keys = [date_column, channel_column, persona_column] + key_columns -%}
    select
        {%- for column in keys %}
        {{ column }}{{ "," if not loop.last or sum_columns or count_column }}
        {%- endfor %}
        {%- if count_column %}
        count(*) as {{ count_column }}{{ "," if sum_columns }}
        {%- endif %}
        {%- for column in sum_columns %}
        sum({{ column }}) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    group by {{ keys | join(', ') }}
{% endmacro %}


{% macro kpi_row(
    kpi_name,
    journey_stage,
    numerator,
    denominator=none,
    kind='ratio',
    value=none,
    journey_stage_column=none
) %}
    {#- The select list of one row of mart_kpi_values, from a CTE grouped by
        (period_grain, period_start, channel, persona).
        kind 'ratio': value = numerator / denominator (null when the denominator is 0).
        kind 'total': a count or sum; denominator null, value = numerator.
        kind 'value': a statistic that does not decompose (a median, a prediction): pass
        `value`; numerator and denominator are null.
        kind is how a row is stored (seed kpi_definitions.stored_as), not how the KPI rolls up
        (kpi_definitions.aggregation: a ratio or total may still be non_additive, e.g.
        unique_visitors or churn_rate); assert_kpi_catalog_agrees checks the two fit.
        journey_stage is the KPI's home stage; KPIs measured per stage (funnel drop-off) pass
        the column holding it as journey_stage_column instead. -#}
    cast('{{ kpi_name }}' as {{ dbt.type_string() }}) as kpi_name,
    {% if journey_stage_column -%}
    cast({{ journey_stage_column }} as {{ dbt.type_string() }}) as journey_stage,
    {%- else -%}
    cast('{{ journey_stage }}' as {{ dbt.type_string() }}) as journey_stage,
    {%- endif %}
    channel,
    persona,
    period_grain,
    period_start,
    {%- if kind == 'ratio' %}
    cast({{ numerator }} as {{ type_double() }}) as numerator,
    cast({{ denominator }} as {{ type_double() }}) as denominator,
    {{ safe_divide(numerator, denominator) }} as value
    {%- elif kind == 'total' %}
    cast({{ numerator }} as {{ type_double() }}) as numerator,
    cast(null as {{ type_double() }}) as denominator,
    cast({{ numerator }} as {{ type_double() }}) as value
    {%- elif kind == 'value' %}
    cast(null as {{ type_double() }}) as numerator,
    cast(null as {{ type_double() }}) as denominator,
    cast({{ value }} as {{ type_double() }}) as value
    {%- else %}
    {{ exceptions.raise_compiler_error(
        "kpi_row: kind must be ratio, total or value (got '" ~ kind ~ "' for " ~ kpi_name ~ ")"
    ) }}
    {%- endif %}
{% endmacro %}


{% macro kpi_stage_mart(journey_stage) %}
    {#- The whole SQL of a wide stage mart: one row per channel x persona x month with one
        column per KPI of the stage (from kpi_catalog()), pivoted from mart_kpi_values (so
        the wide marts cannot disagree with the long one), and for sampled survey KPIs a
        column with their sample size (the denominator, e.g. nps_responses). -#}
{%- set kpis = kpi_catalog_for_stage(journey_stage) %}
{%- set kpi_names = kpis | map(attribute='kpi_name') | list %}
with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

final as (
    select
        channel,
        persona,
        period_start as month_start_date,
        {%- for kpi in kpis %}
        max(case when kpi_name = '{{ kpi.kpi_name }}' then value end) as {{ kpi.kpi_name }}
        {%- if kpi.sample_size_column %},
        max(case when kpi_name = '{{ kpi.kpi_name }}' then denominator end)
            as {{ kpi.sample_size_column }}
        {%- endif %}
        {{- "," if not loop.last }}
        {%- endfor %}
    from kpi_values
    where
        period_grain = 'month'
        and journey_stage = '{{ journey_stage }}'
        and kpi_name in {{ sql_list(kpi_names) }}
    group by 1, 2, 3
)

select * from final
{% endmacro %}


{% macro kpi_catalog() %}
    {#- The one compile-time list of KPIs: name, home stage and, for sampled survey KPIs, the
        wide-mart column holding their sample size (the denominator). The wide stage marts
        are generated from it (kpi_stage_mart); seed kpi_definitions holds the same KPIs
        with their unit, aggregation kind and sources, and the singular test
        assert_kpi_catalog_agrees fails when the seed, this list, the wide marts' YAML or
        mart_kpi_values disagree. Adding a KPI: its formula in its family model, one line
        here, one row in the seed, one doc block kpi_<name>. -#}
    {{ return([
        {'kpi_name': 'impressions', 'journey_stage': 'awareness'},
        {'kpi_name': 'clicks', 'journey_stage': 'awareness'},
        {'kpi_name': 'click_through_rate', 'journey_stage': 'awareness'},
        {'kpi_name': 'avg_search_position', 'journey_stage': 'awareness'},
        {'kpi_name': 'branded_search_share', 'journey_stage': 'awareness'},
        {'kpi_name': 'marketing_spend', 'journey_stage': 'awareness'},
        {'kpi_name': 'sessions', 'journey_stage': 'awareness'},
        {'kpi_name': 'unique_visitors', 'journey_stage': 'awareness'},
        {'kpi_name': 'traffic_share', 'journey_stage': 'awareness'},
        {'kpi_name': 'new_visitor_share', 'journey_stage': 'awareness'},
        {'kpi_name': 'brand_recall_rate', 'journey_stage': 'awareness', 'sample_size_column': 'brand_recall_rate_responses'},
        {'kpi_name': 'bounce_rate', 'journey_stage': 'consideration'},
        {'kpi_name': 'engagement_rate', 'journey_stage': 'consideration'},
        {'kpi_name': 'avg_session_duration_s', 'journey_stage': 'consideration'},
        {'kpi_name': 'pages_per_session', 'journey_stage': 'consideration'},
        {'kpi_name': 'events_per_session', 'journey_stage': 'consideration'},
        {'kpi_name': 'avg_time_on_page_s', 'journey_stage': 'consideration'},
        {'kpi_name': 'avg_scroll_depth_pct', 'journey_stage': 'consideration'},
        {'kpi_name': 'content_downloads', 'journey_stage': 'consideration'},
        {'kpi_name': 'content_shares', 'journey_stage': 'consideration'},
        {'kpi_name': 'video_completion_rate', 'journey_stage': 'consideration'},
        {'kpi_name': 'repeat_visit_rate', 'journey_stage': 'consideration'},
        {'kpi_name': 'visitor_to_lead_rate', 'journey_stage': 'consideration'},
        {'kpi_name': 'landing_page_conversion_rate', 'journey_stage': 'consideration'},
        {'kpi_name': 'lead_score', 'journey_stage': 'consideration'},
        {'kpi_name': 'mql_count', 'journey_stage': 'consideration'},
        {'kpi_name': 'lead_to_mql_rate', 'journey_stage': 'conversion'},
        {'kpi_name': 'mql_to_sql_rate', 'journey_stage': 'conversion'},
        {'kpi_name': 'lead_to_sql_rate', 'journey_stage': 'conversion'},
        {'kpi_name': 'sql_to_won_rate', 'journey_stage': 'conversion'},
        {'kpi_name': 'lead_score_band_conversion_rate', 'journey_stage': 'conversion'},
        {'kpi_name': 'average_deal_size', 'journey_stage': 'conversion'},
        {'kpi_name': 'conversion_rate', 'journey_stage': 'conversion'},
        {'kpi_name': 'visitor_conversion_rate', 'journey_stage': 'conversion'},
        {'kpi_name': 'cart_abandonment_rate', 'journey_stage': 'conversion'},
        {'kpi_name': 'trial_to_paid_rate', 'journey_stage': 'conversion'},
        {'kpi_name': 'revenue', 'journey_stage': 'conversion'},
        {'kpi_name': 'orders', 'journey_stage': 'conversion'},
        {'kpi_name': 'average_order_value', 'journey_stage': 'conversion'},
        {'kpi_name': 'new_customers', 'journey_stage': 'conversion'},
        {'kpi_name': 'time_to_conversion_days', 'journey_stage': 'conversion'},
        {'kpi_name': 'time_to_conversion_days_median', 'journey_stage': 'conversion'},
        {'kpi_name': 'touches_to_conversion', 'journey_stage': 'conversion'},
        {'kpi_name': 'touches_to_conversion_median', 'journey_stage': 'conversion'},
        {'kpi_name': 'customer_acquisition_cost', 'journey_stage': 'conversion'},
        {'kpi_name': 'return_on_ad_spend', 'journey_stage': 'conversion'},
        {'kpi_name': 'marketing_roi', 'journey_stage': 'conversion'},
        {'kpi_name': 'marketing_efficiency_ratio', 'journey_stage': 'conversion'},
        {'kpi_name': 'onboarding_completion_rate', 'journey_stage': 'onboarding'},
        {'kpi_name': 'feature_adoption_rate', 'journey_stage': 'onboarding'},
        {'kpi_name': 'active_users', 'journey_stage': 'onboarding'},
        {'kpi_name': 'new_user_growth_rate', 'journey_stage': 'onboarding'},
        {'kpi_name': 'in_app_purchases', 'journey_stage': 'onboarding'},
        {'kpi_name': 'in_app_purchase_revenue', 'journey_stage': 'onboarding'},
        {'kpi_name': 'repeat_purchase_rate', 'journey_stage': 'retention'},
        {'kpi_name': 'customer_retention_rate', 'journey_stage': 'retention'},
        {'kpi_name': 'churn_rate', 'journey_stage': 'retention'},
        {'kpi_name': 'cohort_retention_month_1', 'journey_stage': 'retention'},
        {'kpi_name': 'cohort_retention_month_3', 'journey_stage': 'retention'},
        {'kpi_name': 'customer_lifetime_value', 'journey_stage': 'retention'},
        {'kpi_name': 'customer_gross_margin_to_date', 'journey_stage': 'retention'},
        {'kpi_name': 'customer_lifetime_value_predicted', 'journey_stage': 'retention'},
        {'kpi_name': 'ltv_to_cac_ratio', 'journey_stage': 'retention'},
        {'kpi_name': 'csat', 'journey_stage': 'retention', 'sample_size_column': 'csat_responses'},
        {'kpi_name': 'customer_effort_score', 'journey_stage': 'retention', 'sample_size_column': 'customer_effort_score_responses'},
        {'kpi_name': 'customer_health_score', 'journey_stage': 'retention'},
        {'kpi_name': 'at_risk_customer_share', 'journey_stage': 'retention'},
        {'kpi_name': 'unresolved_complaints', 'journey_stage': 'retention'},
        {'kpi_name': 'nps', 'journey_stage': 'advocacy', 'sample_size_column': 'nps_responses'},
        {'kpi_name': 'review_rating', 'journey_stage': 'advocacy', 'sample_size_column': 'review_rating_responses'},
        {'kpi_name': 'review_count', 'journey_stage': 'advocacy'},
        {'kpi_name': 'referrals_sent', 'journey_stage': 'advocacy'},
        {'kpi_name': 'referral_conversion_rate', 'journey_stage': 'advocacy'},
        {'kpi_name': 'funnel_dropoff_rate', 'journey_stage': 'all'}
    ]) }}
{% endmacro %}


{% macro kpi_catalog_for_stage(journey_stage) %}
    {#- The KPIs of kpi_catalog() whose home stage is journey_stage, in catalog order. -#}
    {{ return(kpi_catalog() | selectattr('journey_stage', 'equalto', journey_stage) | list) }}
{% endmacro %}


{% macro kpi_stage_mart_columns(journey_stage) %}
    {#- The KPI columns of a wide stage mart, in order: each KPI, followed by its sample-size
        column when it has one. -#}
    {%- set columns = [] -%}
    {%- for kpi in kpi_catalog_for_stage(journey_stage) -%}
        {%- do columns.append(kpi.kpi_name) -%}
        {%- if kpi.sample_size_column -%}
            {%- do columns.append(kpi.sample_size_column) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}

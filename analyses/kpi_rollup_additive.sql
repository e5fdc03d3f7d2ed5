-- The one correct roll-up of an additive KPI (dim_kpis.aggregation = 'additive': counts and
-- sums dated once, such as revenue, orders, sessions, spend): sum(value) over the rows of ONE
-- period grain, per channel (persona `all` rows only), by calendar quarter and over the whole
-- history. Summing every row instead (three grains, plus the `all` rows) would count each
-- order up to 12 times. The README ("Rolling KPIs up in a BI tool") shows this query; a
-- pytest checks it.
with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

monthly as (
    select
        kpi_name,
        journey_stage,
        channel,
        period_start,
        value
    from kpi_values
    where
        aggregation = 'additive'
        and period_grain = 'month'
        and persona = 'all'
),

spans as (
    select
        kpi_name,
        journey_stage,
        channel,
        'quarter' as span,
        cast({{ dbt.date_trunc('quarter', 'period_start') }} as date) as span_start,
        value
    from monthly
    union all
    select
        kpi_name,
        journey_stage,
        channel,
        'history' as span,
        cast(null as date) as span_start,
        value
    from monthly
),

final as (
    select
        kpi_name,
        journey_stage,
        channel,
        span,
        span_start,
        sum(value) as value
    from spans
    group by 1, 2, 3, 4, 5
)

select * from final
order by 1, 2, 3, 4, 5

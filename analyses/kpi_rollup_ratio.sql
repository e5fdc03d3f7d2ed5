-- The one correct roll-up of a ratio KPI (dim_kpis.aggregation = 'ratio'): sum(numerator) /
-- sum(denominator) over the rows of ONE period grain, per channel (persona `all` rows only,
-- so that no row counts twice), by calendar quarter and over the whole history. Never
-- average the monthly values. Rows whose denominator is 0 (value null) still add their
-- numerator, e.g. a month of spend without new customers still counts towards CAC.
-- The README ("Rolling KPIs up in a BI tool") shows this query; a pytest checks it.
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
        numerator,
        denominator
    from kpi_values
    where
        aggregation = 'ratio'
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
        numerator,
        denominator
    from monthly
    union all
    select
        kpi_name,
        journey_stage,
        channel,
        'history' as span,
        cast(null as date) as span_start,
        numerator,
        denominator
    from monthly
),

final as (
    select
        kpi_name,
        journey_stage,
        channel,
        span,
        span_start,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        {{ safe_divide('sum(numerator)', 'sum(denominator)') }} as value
    from spans
    group by 1, 2, 3, 4, 5
)

select * from final
order by 1, 2, 3, 4, 5

-- A non-additive KPI (dim_kpis.aggregation = 'non_additive': distinct counts such as
-- unique_visitors and active_users, stocks such as churn_rate's base or customer lifetime
-- value to date, shares of a total such as traffic_share, medians and predictions) is never
-- summed or averaged: read the row of the grain and slice you need. For a quarter's unique
-- visitors there is no quarter row; summed daily visitors of a month overcount (a visitor
-- of two days counts twice). This query reads each one as stored, per channel at the month
-- grain, with its unit and why it cannot be rolled up.
with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

kpis as (
    select * from {{ ref('dim_kpis') }}
),

final as (
    select
        kpi_values.kpi_name,
        kpi_values.journey_stage,
        kpi_values.channel,
        kpi_values.period_start as month_start_date,
        kpi_values.value,
        kpi_values.unit,
        kpis.aggregation_note
    from kpi_values
    inner join kpis
        on kpi_values.kpi_name = kpis.kpi_name
    where
        kpi_values.aggregation = 'non_additive'
        and kpi_values.period_grain = 'month'
        and kpi_values.persona = 'all'
)

select * from final
order by kpi_name, channel, month_start_date

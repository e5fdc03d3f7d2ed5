-- One row per health KPI x channel x persona x period grain, dated at the as-of date (one
-- period per grain: the day, ISO week and month holding as_of): customer_health_score (mean
-- health score) and at_risk_customer_share, over the customers who are not churned as of
-- as_of, sliced by their acquisition channel and persona.
with

health as (
    select * from {{ ref('kpis_customer_health_components') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

active_customers as (
    select
        as_of_date,
        acquisition_channel as channel,
        persona,
        health_score,
        case when is_at_risk then 1 else 0 end as is_at_risk
    from health
    where not is_churned
),

sliced as (
    {{ kpi_slices('active_customers', 'as_of_date', ['health_score', 'is_at_risk']) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        count(*) as customers,
        sum(health_score) as health_score_sum,
        sum(is_at_risk) as at_risk_customers
    from sliced
    group by 1, 2, 3, 4
),

final as (
    select
        {{ kpi_row('customer_health_score', 'retention', 'health_score_sum', 'customers') }}
    from aggregated
    union all
    select
        {{ kpi_row('at_risk_customer_share', 'retention', 'at_risk_customers', 'customers') }}
    from aggregated
)

select * from final

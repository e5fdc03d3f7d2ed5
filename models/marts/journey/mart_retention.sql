-- One row per channel x persona x month: the retention KPIs, pivoted from mart_kpi_values
-- (so they cannot disagree with it). `all` rows are the roll-ups.
{%- set kpis = [
    'repeat_purchase_rate', 'customer_retention_rate', 'churn_rate',
    'cohort_retention_month_1', 'cohort_retention_month_3', 'customer_lifetime_value',
    'customer_gross_margin_to_date', 'customer_lifetime_value_predicted',
    'ltv_to_cac_ratio', 'csat', 'customer_effort_score', 'customer_health_score',
    'at_risk_customer_share', 'unresolved_complaints',
] %}

with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

final as (
    select
        channel,
        persona,
        period_start as month_start_date,
        {{ kpi_pivot_columns(kpis) }}
    from kpi_values
    where
        period_grain = 'month'
        and journey_stage = 'retention'
    group by 1, 2, 3
)

select * from final

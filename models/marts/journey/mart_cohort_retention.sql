-- One row per acquisition-month cohort x channel x persona (each also rolled up to `all`) x
-- months since acquisition: the retention triangle. Computed in kpis_cohort_retention_cells (the
-- one place cohort retention is computed; kpis_orders takes its months 1 and 3 as the
-- KPIs cohort_retention_month_1 / _3); this mart publishes it under an enforced contract.
with

cohort_retention as (
    select * from {{ ref('kpis_cohort_retention_cells') }}
),

final as (
    select
        cohort_month,
        channel,
        persona,
        months_since_acquisition,
        activity_month,
        cohort_customers,
        active_customers,
        retention_rate,
        cumulative_revenue,
        cumulative_revenue_per_customer
    from cohort_retention
)

select * from final

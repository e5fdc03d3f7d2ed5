-- One row per channel x persona x month: the onboarding KPIs, pivoted from mart_kpi_values
-- (so they cannot disagree with it). `all` rows are the roll-ups.
{%- set kpis = [
    'onboarding_completion_rate', 'feature_adoption_rate', 'active_users',
    'new_user_growth_rate', 'in_app_purchases', 'in_app_purchase_revenue',
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
        and journey_stage = 'onboarding'
    group by 1, 2, 3
)

select * from final

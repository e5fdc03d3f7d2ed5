-- One row per channel x persona x month: the advocacy KPIs, pivoted from mart_kpi_values
-- (so they cannot disagree with it). `all` rows are the roll-ups.
{%- set kpis = [
    'nps', 'review_rating', 'review_count', 'referrals_sent', 'referral_conversion_rate',
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
        and journey_stage = 'advocacy'
    group by 1, 2, 3
)

select * from final

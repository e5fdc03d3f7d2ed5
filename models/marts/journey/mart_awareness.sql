-- One row per channel x persona x month: the awareness KPIs, pivoted from mart_kpi_values
-- (so they cannot disagree with it). `all` rows are the roll-ups.
{%- set kpis = [
    'impressions', 'clicks', 'click_through_rate', 'avg_search_position',
    'branded_search_share', 'marketing_spend', 'sessions', 'unique_visitors',
    'traffic_share', 'new_visitor_share', 'brand_recall_rate',
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
        and journey_stage = 'awareness'
    group by 1, 2, 3
)

select * from final

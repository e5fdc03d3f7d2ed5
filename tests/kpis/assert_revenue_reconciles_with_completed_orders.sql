-- Revenue in mart_kpi_values equals the revenue of completed orders in staging, per grain
-- and overall, for the `all` x `all` slice and summed over channels (each customer has one
-- acquisition channel, so channel revenue adds up to the total).
with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

orders as (
    select * from {{ ref('stg_commerce__orders') }}
),

completed_revenue as (
    select sum(amount) as revenue
    from orders
    where is_completed
),

mart_revenue as (
    select
        period_grain,
        sum(case when channel = 'all' and persona = 'all' then numerator else 0 end)
            as total_revenue,
        sum(case when channel <> 'all' and persona = 'all' then numerator else 0 end)
            as channel_revenue,
        sum(case when channel = 'all' and persona <> 'all' then numerator else 0 end)
            as persona_revenue
    from kpi_values
    where kpi_name = 'revenue'
    group by 1
)

select
    mart_revenue.period_grain,
    mart_revenue.total_revenue,
    mart_revenue.channel_revenue,
    mart_revenue.persona_revenue,
    completed_revenue.revenue as completed_order_revenue
from mart_revenue
cross join completed_revenue
where
    abs(mart_revenue.total_revenue - completed_revenue.revenue) > 0.005
    or abs(mart_revenue.channel_revenue - completed_revenue.revenue) > 0.005
    or abs(mart_revenue.persona_revenue - completed_revenue.revenue) > 0.005

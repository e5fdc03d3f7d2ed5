-- Attributed revenue per attribution model equals converted revenue: the revenue of
-- completed orders (staging, as the revenue KPI) plus that of event conversions (0 by
-- definition), to the cent.
with

orders as (
    select * from {{ ref('stg_commerce__orders') }}
),

credits as (
    select * from {{ ref('fct_attribution_credits') }}
),

completed_revenue as (
    select coalesce(sum(amount), 0) as revenue
    from orders
    where is_completed
),

attribution_models as (
    {{ attribution_models_rows() }}
),

model_revenue as (
    select
        attribution_model,
        sum(attributed_revenue) as attributed_revenue
    from credits
    group by 1
)

select
    attribution_models.attribution_model,
    model_revenue.attributed_revenue,
    completed_revenue.revenue as completed_order_revenue
from attribution_models
cross join completed_revenue
left join model_revenue
    on attribution_models.attribution_model = model_revenue.attribution_model
where
    abs(coalesce(model_revenue.attributed_revenue, 0) - completed_revenue.revenue) > 0.005

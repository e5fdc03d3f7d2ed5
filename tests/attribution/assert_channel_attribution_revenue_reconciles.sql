-- mart_channel_attribution: under every attribution model, the attributed revenue summed
-- over the persona `all` rows, and over the per-persona rows, equals the revenue of the
-- completed orders of fct_orders, to the cent; attributed orders and new customers equal
-- the completed orders and the first completed orders (order_number 1).
with

mart as (
    select * from {{ ref('mart_channel_attribution') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

completed as (
    select
        coalesce(sum(amount), 0) as revenue,
        count(*) as orders,
        sum(case when order_number = 1 then 1 else 0 end) as new_customers
    from orders
    where is_completed
),

attribution_models as (
    {{ attribution_models_rows() }}
),

model_sums as (
    select
        attribution_model,
        sum(case when persona = 'all' then attributed_revenue else 0 end) as all_revenue,
        sum(case when persona <> 'all' then attributed_revenue else 0 end) as persona_revenue,
        sum(case when persona = 'all' then attributed_orders else 0 end) as all_orders,
        sum(
            case when persona = 'all' then attributed_new_customers else 0 end
        ) as all_new_customers
    from mart
    group by 1
)

select
    attribution_models.attribution_model,
    model_sums.all_revenue,
    model_sums.persona_revenue,
    model_sums.all_orders,
    model_sums.all_new_customers,
    completed.revenue,
    completed.orders,
    completed.new_customers
from attribution_models
cross join completed
left join model_sums
    on attribution_models.attribution_model = model_sums.attribution_model
where
    abs(coalesce(model_sums.all_revenue, 0) - coalesce(completed.revenue, 0)) > 0.005
    or abs(coalesce(model_sums.persona_revenue, 0) - coalesce(completed.revenue, 0)) > 0.005
    or abs(coalesce(model_sums.all_orders, 0) - coalesce(completed.orders, 0)) > 1e-6
    or abs(
        coalesce(model_sums.all_new_customers, 0) - coalesce(completed.new_customers, 0)
    ) > 1e-6

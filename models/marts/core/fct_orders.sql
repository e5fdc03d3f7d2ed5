with

orders as (
    select * from {{ ref('int_customer_orders_sequenced') }}
),

orders_last_touch as (
    select * from {{ ref('int_orders_last_touch') }}
),

final as (
    select
        orders.order_id,
        orders.person_id,
        orders.order_channel,
        orders.status,
        orders.currency,
        orders.amount,
        orders.cost,
        cast(orders.gross_margin as {{ dbt.type_numeric() }}) as gross_margin,
        orders.item_count,
        orders.is_completed,
        orders.is_trial_conversion,
        orders.order_number,
        orders.is_first_order,
        orders_last_touch.session_id,
        orders_last_touch.last_touch_channel,
        orders_last_touch.last_touch_campaign,
        orders.ordered_at,
        orders.ordered_date
    from orders
    left join orders_last_touch
        on orders.order_id = orders_last_touch.order_id
)

select * from final

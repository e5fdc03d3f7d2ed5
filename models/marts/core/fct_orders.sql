with

orders as (
    select * from {{ ref('int_customer_orders_sequenced') }}
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
        -- TODO(int_orders_last_touch): join the web helper's model when it lands
        cast(null as {{ dbt.type_string() }}) as session_id,
        cast(null as {{ dbt.type_string() }}) as last_touch_channel,
        cast(null as {{ dbt.type_string() }}) as last_touch_campaign,
        orders.ordered_at,
        orders.ordered_date
    from orders
)

select * from final

-- One row per customer: time and touches from their first touch to their first completed
-- order (catalog: time_to_conversion_days, touches_to_conversion). A customer with no tracked
-- session up to that order was never touched: both are null (not 0 touches).
with

customers as (
    select * from {{ ref('int_customers_churned') }}
),

sessions as (
    select * from {{ ref('int_sessions_built') }}
),

touches as (
    select
        customers.person_id,
        min(sessions.started_at) as first_touch_at,
        count(sessions.session_id) as touches_to_conversion
    from customers
    left join sessions
        on
            customers.person_id = sessions.person_id
            and customers.first_order_at >= sessions.started_at
    group by 1
),

final as (
    select
        customers.person_id,
        nullif(touches.touches_to_conversion, 0) as touches_to_conversion,
        -- a double on every engine (Spark would type bigint / 86400.0 as a decimal)
        cast(
            {{ dbt.datediff('touches.first_touch_at', 'customers.first_order_at', 'second') }}
            as {{ type_double() }}
        ) / 86400 as days_to_conversion,
        touches.first_touch_at,
        customers.first_order_at
    from customers
    inner join touches
        on customers.person_id = touches.person_id
)

select * from final

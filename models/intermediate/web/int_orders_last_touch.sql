{%- set lookback_days = var('attribution_lookback_days', 30) | int -%}

with

orders as (
    select * from {{ ref('stg_commerce__orders') }}
),

sessions as (
    select * from {{ ref('int_sessions_built') }}
),

events as (
    select * from {{ ref('int_events_sessionized') }}
),

-- The session holding the order's purchase event (the earliest one, if tracked twice).
purchase_sessions as (
    select
        order_id,
        session_id
    from (
        select
            order_id,
            session_id,
            row_number() over (
                partition by order_id
                order by occurred_at, {{ binary_collation('event_id') }}
            ) as purchase_event_number
        from events
        where
            event_type = 'purchase'
            and order_id is not null
            and session_id is not null
    ) as purchase_events
    where purchase_event_number = 1
),

-- Sessions of the buyer that started within the lookback window before the order
-- (boundaries inclusive: exactly lookback days before still counts).
touches as (
    select
        orders.order_id,
        sessions.session_id,
        sessions.channel,
        sessions.utm_campaign,
        row_number() over (
            partition by orders.order_id
            order by sessions.started_at desc, {{ binary_collation('sessions.session_id') }} desc
        ) as touch_recency
    from orders
    inner join sessions
        on
            orders.customer_id = sessions.person_id
            and orders.ordered_at >= sessions.started_at
            and sessions.started_at
            >= {{ dbt.dateadd('day', -lookback_days, 'orders.ordered_at') }}
),

last_touches as (
    select * from touches
    where touch_recency = 1
),

final as (
    select
        orders.order_id,
        purchase_sessions.session_id,
        last_touches.session_id as last_touch_session_id,
        {{ attributed_channel('last_touches.channel') }} as last_touch_channel,
        last_touches.utm_campaign as last_touch_campaign
    from orders
    left join purchase_sessions
        on orders.order_id = purchase_sessions.order_id
    left join last_touches
        on orders.order_id = last_touches.order_id
)

select * from final

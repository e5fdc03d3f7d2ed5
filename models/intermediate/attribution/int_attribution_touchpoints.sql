{#- One row per conversion x touchpoint (kpi_catalog "Attribution and paths"). Conversions:
    every completed order, and every conversion event that is not the purchase of a
    completed order (int_events_stitched.is_conversion_event: a purchase without order id,
    or an event type of var conversion_event_types; a converting purchase with an order id
    is the purchase of a completed order). Touchpoints: the person's sessions that
    started at or before the conversion and at most var attribution_lookback_days before it
    (both bounds inclusive, as in int_orders_last_touch). A conversion with no touch keeps
    one row, channel `unattributed`, touch_position 0, touch_count 0. -#}
{%- set lookback_days = var('attribution_lookback_days', 30) | int -%}

with

orders as (
    select * from {{ ref('int_customer_orders_sequenced') }}
),

events as (
    select * from {{ ref('int_events_stitched') }}
),

sessions as (
    select * from {{ ref('int_sessions_built') }}
),

-- Revenue of an event conversion is 0: the revenue KPI counts completed orders only, so
-- attributed revenue reconciles with it.
conversions as (
    select
        order_id as conversion_id,
        'order' as conversion_type,
        person_id,
        ordered_at as converted_at,
        cast(amount as {{ dbt.type_numeric() }}) as conversion_revenue
    from orders
    where is_completed
    union all
    select
        event_id as conversion_id,
        'event' as conversion_type,
        person_id,
        occurred_at as converted_at,
        cast(0 as {{ dbt.type_numeric() }}) as conversion_revenue
    from events
    -- the purchase of a completed order is that order's conversion, already counted above
    where
        is_conversion_event
        and not (is_converting_purchase and order_id is not null)
),

touches as (
    select
        conversions.conversion_id,
        sessions.session_id,
        sessions.channel,
        sessions.utm_campaign as campaign,
        sessions.landing_page,
        sessions.started_at as touched_at,
        -- a double on every engine (Spark would type bigint / 86400.0 as a decimal)
        cast(
            {{ dbt.datediff('sessions.started_at', 'conversions.converted_at', 'second') }}
            as {{ type_double() }}
        ) / 86400 as days_before_conversion,
        row_number() over (
            partition by conversions.conversion_id
            order by sessions.started_at, {{ binary_collation('sessions.session_id') }}
        ) as touch_position,
        count(*) over (partition by conversions.conversion_id) as touch_count
    from conversions
    inner join sessions
        on
            conversions.person_id = sessions.person_id
            and conversions.converted_at >= sessions.started_at
            and sessions.started_at
            >= {{ dbt.dateadd('day', -lookback_days, 'conversions.converted_at') }}
),

final as (
    select
        -- ids
        conversions.conversion_id,
        conversions.person_id,
        touches.session_id,

        -- strings
        conversions.conversion_type,
        {{ attributed_channel('touches.channel') }} as channel,
        touches.campaign,
        touches.landing_page,

        -- numerics
        cast(coalesce(touches.touch_count, 0) as {{ dbt.type_bigint() }}) as touch_count,
        cast(coalesce(touches.touch_position, 0) as {{ dbt.type_bigint() }}) as touch_position,
        touches.days_before_conversion,
        conversions.conversion_revenue,

        -- timestamps
        conversions.converted_at,
        touches.touched_at
    from conversions
    left join touches
        on conversions.conversion_id = touches.conversion_id
)

select * from final

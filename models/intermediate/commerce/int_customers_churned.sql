{%- set churn_days = var('churn_inactivity_days') -%}

with

orders as (
    select * from {{ ref('int_customer_orders_sequenced') }}
),

events as (
    select * from {{ ref('int_events_stitched') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customer_orders as (
    select
        person_id,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at
    from orders
    where is_completed
    group by person_id
),

customer_events as (
    select
        events.person_id,
        max(events.occurred_at) as last_event_at
    from events
    inner join customer_orders
        on events.person_id = customer_orders.person_id
    -- activity only: passive events (email_open, a ticket resolved by support) do not
    -- keep a customer from churning
    where events.is_activity_event
    group by events.person_id
),

customer_activity as (
    select
        customer_orders.person_id,
        customer_orders.first_order_at,
        customer_orders.last_order_at,
        case
            when customer_events.last_event_at > customer_orders.last_order_at
                then customer_events.last_event_at
            else customer_orders.last_order_at
        end as last_activity_at
    from customer_orders
    left join customer_events
        on customer_orders.person_id = customer_events.person_id
),

churn_due as (
    select
        person_id,
        first_order_at,
        last_order_at,
        last_activity_at,
        {{ dbt.dateadd('day', churn_days, 'last_activity_at') }} as churn_due_at
    from customer_activity
),

final as (
    select
        churn_due.person_id,
        churn_due.first_order_at,
        churn_due.last_order_at,
        churn_due.last_activity_at,
        churn_due.churn_due_at,
        -- the data is complete through the whole as-of day
        cast(churn_due.churn_due_at as date) <= as_of.as_of_date as is_churned,
        case
            when cast(churn_due.churn_due_at as date) <= as_of.as_of_date
                then churn_due.churn_due_at
        end as churned_at,
        as_of.as_of_date
    from churn_due
    cross join as_of
)

select * from final

-- One row per person seen in tracking: activity, sign-up and acquisition channel. Activity =
-- an activity event (int_events_stitched.is_activity_event: the stage map's engagement
-- events) or a completed order; first/last_seen_at keep every event.
with

events as (
    select * from {{ ref('int_events_stitched') }}
),

sessions as (
    select * from {{ ref('int_sessions_built') }}
),

orders as (
    select * from {{ ref('int_customer_orders_sequenced') }}
),

event_activity as (
    select
        person_id,
        max(case when is_identified then 1 else 0 end) = 1 as is_identified,
        count(*) as events,
        {{ flag_count('is_engagement_event') }} as engagement_events,
        min(case when event_type = 'signup' then occurred_at end) as signed_up_at,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at
    from events
    group by 1
),

activity_times as (
    select
        person_id,
        occurred_at as active_at
    from events
    where is_activity_event
    union all
    select
        person_id,
        ordered_at as active_at
    from orders
    where is_completed
),

activity_bounds as (
    select
        person_id,
        min(active_at) as first_active_at,
        max(active_at) as last_active_at
    from activity_times
    group by 1
),

session_activity as (
    select
        person_id,
        count(*) as sessions,
        min(started_at) as first_session_at,
        max(case when session_number = 1 then channel end) as acquisition_channel
    from sessions
    group by 1
),

final as (
    select
        event_activity.person_id,
        {{ attributed_channel('session_activity.acquisition_channel') }} as acquisition_channel,
        event_activity.events,
        event_activity.engagement_events,
        coalesce(session_activity.sessions, 0) as sessions,
        event_activity.is_identified,
        event_activity.signed_up_at,
        event_activity.first_seen_at,
        event_activity.last_seen_at,
        activity_bounds.first_active_at,
        activity_bounds.last_active_at,
        session_activity.first_session_at
    from event_activity
    left join session_activity
        on event_activity.person_id = session_activity.person_id
    left join activity_bounds
        on event_activity.person_id = activity_bounds.person_id
)

select * from final

-- One row per person seen in tracking: activity, sign-up and acquisition channel.
with

events as (
    select * from {{ ref('int_events_stitched') }}
),

sessions as (
    select * from {{ ref('int_sessions_built') }}
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
        session_activity.first_session_at
    from event_activity
    left join session_activity
        on event_activity.person_id = session_activity.person_id
)

select * from final

with

events as (
    select * from {{ ref('int_events_sessionized') }}
),

final as (
    select
        -- ids
        event_id,
        person_id,
        session_id,
        anonymous_id,
        user_id,
        order_id,
        ticket_id,

        -- strings
        event_type,
        journey_stage,
        session_channel as channel,
        page_path,
        device,
        feature_name,
        content_asset,
        video_id,
        form_id,

        -- numerics
        scroll_depth_pct,
        onboarding_step,
        onboarding_total_steps,
        revenue,
        engagement_time_s,

        -- booleans
        is_engagement_event,
        is_activity_event,
        is_conversion_event,

        -- dates and timestamps
        occurred_at,
        cast(occurred_at as date) as event_date
    from events
)

select * from final

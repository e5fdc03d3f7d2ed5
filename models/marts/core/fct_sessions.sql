with

sessions as (
    select * from {{ ref('int_sessions_built') }}
),

final as (
    select
        -- ids
        session_id,
        person_id,
        anonymous_id,

        -- strings
        channel,
        source_category,
        utm_source,
        utm_medium,
        utm_campaign,
        landing_page,
        device,

        -- numerics
        session_number,
        page_views,
        events,
        engagement_events,
        duration_s,

        -- booleans
        is_first_session,
        is_engaged,
        is_bounced,
        has_add_to_cart,
        has_purchase,
        has_lead,
        has_order,
        is_converting,

        -- dates and timestamps
        started_at,
        ended_at,
        session_date
    from sessions
)

select * from final

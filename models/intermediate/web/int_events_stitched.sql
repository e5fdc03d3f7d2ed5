{%- set conversion_event_types = var('conversion_event_types', []) -%}
{%- if conversion_event_types is string -%}
    {%- set conversion_event_types = [conversion_event_types] -%}
{%- endif -%}

with

tracked_events as (
    select * from {{ ref('stg_tracking__events') }}
),

identities as (
    select * from {{ ref('int_identities_stitched') }}
),

traffic_sources as (
    select * from {{ ref('int_traffic_sources_classified') }}
),

orders as (
    select * from {{ ref('stg_commerce__orders') }}
),

journey_stage_map as (
    select * from {{ ref('journey_stage_map') }}
),

-- The one column deciding whether a purchase event converts: its order is completed (the
-- order's status decides; a refunded or cancelled order, or an order id missing from the
-- orders, does not convert), or it carries no order id at all (a conversion on its own
-- evidence: nothing to double count). Orders are unique by order_id: no fan-out.
events as (
    select
        tracked_events.*,
        (
            coalesce(orders.is_completed, false)
            or (tracked_events.event_type = 'purchase' and tracked_events.order_id is null)
        ) as is_converting_purchase
    from tracked_events
    left join orders
        on
            tracked_events.order_id = orders.order_id
            and tracked_events.event_type = 'purchase'
),

final as (
    select
        -- ids
        events.event_id,
        -- the event's own user_id wins (a shared device); the anonymous_id's first
        -- identified user only fills events without one
        coalesce(events.user_id, identities.person_id) as person_id,
        events.anonymous_id,
        events.user_id,
        events.ticket_id,
        events.order_id,

        -- strings
        events.event_type,
        coalesce(journey_stage_map.journey_stage, 'consideration') as journey_stage,
        events.page_url,
        {{ url_path('events.page_url') }} as page_path,
        events.referrer_url,
        traffic_sources.referrer_host,
        events.utm_source,
        events.utm_medium,
        events.utm_campaign,
        events.utm_term,
        traffic_sources.source_category,
        traffic_sources.channel as event_channel,
        events.device,
        events.feature_name,
        events.content_asset,
        events.video_id,
        events.form_id,
        events.plan_name,
        events.email_campaign_id,
        events.referral_code,
        events.properties,

        -- numerics
        events.scroll_depth_pct,
        events.onboarding_step,
        events.onboarding_total_steps,
        events.revenue,
        events.engagement_time_s,

        -- booleans
        coalesce(events.user_id is not null or identities.is_identified, false) as is_identified,
        coalesce(journey_stage_map.is_engagement_event, true) as is_engagement_event,
        -- the one column deciding "activity" (MAU, churn, cohort retention, people activity,
        -- customer health): an engagement event of the stage map (event types missing from
        -- it count, like is_engagement_event); passive events (email_open,
        -- support_ticket_resolved, page_view) do not
        coalesce(journey_stage_map.is_engagement_event, true) as is_activity_event,
        traffic_sources.is_external_referrer,
        traffic_sources.has_source,
        -- the one column deciding whether a purchase converts (see the events CTE)
        events.is_converting_purchase,
        -- a converting purchase, or an event of a type in var conversion_event_types
        (
            events.is_converting_purchase
            {%- if conversion_event_types | length > 0 %}
            or events.event_type in {{ sql_list(conversion_event_types) }}
            {%- endif %}
        ) as is_conversion_event,

        -- timestamps
        events.occurred_at,
        events.loaded_at
    from events
    left join identities
        on events.anonymous_id = identities.anonymous_id
    -- one row per (utm_source, utm_medium, referrer_url): no fan-out
    left join traffic_sources
        on
            coalesce(events.utm_source, '') = traffic_sources.utm_source_key
            and coalesce(events.utm_medium, '') = traffic_sources.utm_medium_key
            and coalesce(events.referrer_url, '') = traffic_sources.referrer_url_key
    left join journey_stage_map
        on events.event_type = journey_stage_map.event_type
)

select * from final

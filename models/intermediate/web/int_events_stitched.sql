{#- Incremental (macros/incremental.sql; README, "Incremental builds"): a run reprocesses
    every event of each anonymous_id with a raw row (clean or rejected) that arrived within
    var incremental_lookback_days of the latest arrival already here (arrival: _loaded_at,
    else occurred_at), so a new login re-stitches that anonymous_id's older events; every
    event that arrived in that window (server-side events without anonymous_id too); and
    every purchase whose order has a raw row loaded in the window (its status decides
    is_converting_purchase). An event whose re-delivery in the window was rejected (the
    latest copy wins) is deleted first. Rows carry stitched_at, the run that computed
    them, for the next model of the chain. -#}
{{ config(
    materialized=incremental_chain_materialization(),
    unique_key='event_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    pre_hook="{% if is_incremental() %}{{ delete_rejected_redeliveries() }}{% endif %}"
) }}
-- depends_on: {{ ref('base_tracking__events_checked') }}
-- depends_on: {{ ref('base_commerce__orders_checked') }}
{% set conversion_event_types = var('conversion_event_types', []) -%}
{%- if conversion_event_types is string -%}
    {%- set conversion_event_types = [conversion_event_types] -%}
{%- endif -%}

with

{%- if is_incremental() %}

-- Raw rows (clean or rejected) that arrived in the window.
    new_raw_events as (
        select anonymous_id
        from {{ ref('base_tracking__events_checked') }}
        where {{ event_arrival() }} >= {{ incremental_window_start(this) }}
    ),

    affected_anonymous_ids as (
        select anonymous_id
        from new_raw_events
        where anonymous_id is not null
        group by anonymous_id
    ),

    changed_orders as (
        select order_id
        from {{ ref('base_commerce__orders_checked') }}
        where
            order_id is not null
            and (loaded_at is null or loaded_at >= {{ incremental_window_start(this) }})
        group by order_id
    ),
{%- endif %}

tracked_events as (
    select * from {{ ref('stg_tracking__events') }}
    {%- if is_incremental() %}
        where
            anonymous_id in (
                select affected.anonymous_id from affected_anonymous_ids as affected
            )
            or {{ event_arrival() }} >= {{ incremental_window_start(this) }}
            or (
                event_type = 'purchase'
                and order_id in (select changed.order_id from changed_orders as changed)
            )
    {%- endif %}
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
        events.loaded_at,
        {{ run_processed_at() }} as stitched_at
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

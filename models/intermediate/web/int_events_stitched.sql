{%- set conversion_event_types = var('conversion_event_types', []) -%}
{%- if conversion_event_types is string -%}
    {%- set conversion_event_types = [conversion_event_types] -%}
{%- endif -%}

with

events as (
    select * from {{ ref('stg_tracking__events') }}
),

identities as (
    select * from {{ ref('int_identities_stitched') }}
),

orders as (
    select * from {{ ref('stg_commerce__orders') }}
),

journey_stage_map as (
    select * from {{ ref('journey_stage_map') }}
),

traffic_source_categories as (
    select * from {{ ref('traffic_source_categories') }}
),

channel_rules as (
    select * from {{ ref('channel_rules') }}
),

-- URL parts of every event (the only pass over the events before the final join).
events_parsed as (
    select
        *,
        {{ url_path('page_url') }} as page_path,
        {{ url_host('referrer_url') }} as referrer_host
    from events
),

events_referrers as (
    select
        *,
        coalesce(
            referrer_host is not null
            and not {{ is_site_host('referrer_host') }},
            false
        ) as is_external_referrer
    from events_parsed
),

-- The channel-defining tuple of each event, with null-safe join keys ('' = missing:
-- staging turns blank values into nulls, so '' cannot be a real value).
events_sourced as (
    select
        *,
        case when is_external_referrer then referrer_host end as source_referrer_host,
        coalesce(utm_source, '') as utm_source_key,
        coalesce(utm_medium, '') as utm_medium_key,
        case when is_external_referrer then referrer_host else '' end as referrer_host_key
    from events_referrers
),

-- Channel rules run once per distinct source tuple, not once per event.
source_tuples as (
    select distinct
        utm_source_key,
        utm_medium_key,
        referrer_host_key,
        utm_source,
        utm_medium,
        source_referrer_host,
        -- what the source patterns are matched on: utm_source, else the external referrer
        coalesce(utm_source, source_referrer_host) as source_match_value
    from events_sourced
),

source_tuples_categorised as (
    select
        source_tuples.utm_source_key,
        source_tuples.utm_medium_key,
        source_tuples.referrer_host_key,
        source_tuples.utm_source,
        source_tuples.utm_medium,
        source_tuples.source_referrer_host,
        coalesce(
            min(traffic_source_categories.source_category),
            case
                when
                    source_tuples.utm_source is null
                    and source_tuples.source_referrer_host is null
                    then 'none'
                else 'unknown'
            end
        ) as source_category
    from source_tuples
    left join traffic_source_categories
        on source_tuples.source_match_value like traffic_source_categories.pattern
    group by 1, 2, 3, 4, 5, 6
),

source_tuple_rule_matches as (
    select
        source_tuples_categorised.utm_source_key,
        source_tuples_categorised.utm_medium_key,
        source_tuples_categorised.referrer_host_key,
        channel_rules.channel,
        row_number() over (
            partition by
                source_tuples_categorised.utm_source_key,
                source_tuples_categorised.utm_medium_key,
                source_tuples_categorised.referrer_host_key
            order by channel_rules.rule_order
        ) as match_rank
    from source_tuples_categorised
    inner join channel_rules
        on
            (
                channel_rules.source_category = 'any'
                or source_tuples_categorised.source_category = channel_rules.source_category
            )
            and (
                (
                    channel_rules.utm_medium_like = '(none)'
                    and source_tuples_categorised.utm_medium is null
                )
                or source_tuples_categorised.utm_medium_key like channel_rules.utm_medium_like
            )
            and (
                channel_rules.has_referrer = 'any'
                or (
                    channel_rules.has_referrer = 'yes'
                    and source_tuples_categorised.source_referrer_host is not null
                )
                or (
                    channel_rules.has_referrer = 'no'
                    and source_tuples_categorised.source_referrer_host is null
                )
            )
),

source_tuple_channels as (
    select
        source_tuples_categorised.utm_source_key,
        source_tuples_categorised.utm_medium_key,
        source_tuples_categorised.referrer_host_key,
        source_tuples_categorised.source_category,
        coalesce(
            source_tuple_rule_matches.channel,
            case when source_tuples_categorised.source_category = 'none' then 'direct' end,
            'other'
        ) as event_channel
    from source_tuples_categorised
    left join source_tuple_rule_matches
        on
            source_tuples_categorised.utm_source_key = source_tuple_rule_matches.utm_source_key
            and source_tuples_categorised.utm_medium_key
            = source_tuple_rule_matches.utm_medium_key
            and source_tuples_categorised.referrer_host_key
            = source_tuple_rule_matches.referrer_host_key
            and source_tuple_rule_matches.match_rank = 1
),

final as (
    select
        -- ids
        events_sourced.event_id,
        coalesce(identities.person_id, events_sourced.user_id) as person_id,
        events_sourced.anonymous_id,
        events_sourced.user_id,
        events_sourced.ticket_id,
        events_sourced.order_id,

        -- strings
        events_sourced.event_type,
        coalesce(journey_stage_map.journey_stage, 'consideration') as journey_stage,
        events_sourced.page_url,
        events_sourced.page_path,
        events_sourced.referrer_url,
        events_sourced.referrer_host,
        events_sourced.utm_source,
        events_sourced.utm_medium,
        events_sourced.utm_campaign,
        events_sourced.utm_term,
        source_tuple_channels.source_category,
        source_tuple_channels.event_channel,
        events_sourced.device,
        events_sourced.feature_name,
        events_sourced.content_asset,
        events_sourced.video_id,
        events_sourced.form_id,
        events_sourced.plan_name,
        events_sourced.email_campaign_id,
        events_sourced.referral_code,
        events_sourced.properties,

        -- numerics
        events_sourced.scroll_depth_pct,
        events_sourced.onboarding_step,
        events_sourced.onboarding_total_steps,
        events_sourced.revenue,
        events_sourced.engagement_time_s,

        -- booleans
        case
            when events_sourced.anonymous_id is null then true
            else coalesce(identities.is_identified, false)
        end as is_identified,
        coalesce(journey_stage_map.is_engagement_event, true) as is_engagement_event,
        events_sourced.is_external_referrer,
        (
            events_sourced.utm_source is not null
            or events_sourced.utm_medium is not null
            or events_sourced.is_external_referrer
        ) as has_source,
        coalesce(orders.is_completed, false) as is_completed_purchase,
        (
            coalesce(orders.is_completed, false)
            {%- if conversion_event_types | length > 0 %}
            or events_sourced.event_type in {{ sql_list(conversion_event_types) }}
            {%- endif %}
        ) as is_conversion_event,

        -- timestamps
        events_sourced.occurred_at,
        events_sourced.loaded_at
    from events_sourced
    left join identities
        on events_sourced.anonymous_id = identities.anonymous_id
    left join journey_stage_map
        on events_sourced.event_type = journey_stage_map.event_type
    left join source_tuple_channels
        on
            events_sourced.utm_source_key = source_tuple_channels.utm_source_key
            and events_sourced.utm_medium_key = source_tuple_channels.utm_medium_key
            and events_sourced.referrer_host_key = source_tuple_channels.referrer_host_key
    left join orders
        on
            events_sourced.order_id = orders.order_id
            and events_sourced.event_type = 'purchase'
)

select * from final

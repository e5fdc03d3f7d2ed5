with

events as (
    select * from {{ ref('stg_tracking__events') }}
),

traffic_source_categories as (
    select * from {{ ref('traffic_source_categories') }}
),

channel_rules as (
    select * from {{ ref('channel_rules') }}
),

-- A narrow scan: only the three columns that define a source, deduplicated, so the URL
-- parsing and the rule matching run once per distinct value, not once per event.
source_values as (
    select distinct
        utm_source,
        utm_medium,
        referrer_url
    from events
),

referrers_parsed as (
    select
        *,
        {{ url_host('referrer_url') }} as referrer_host
    from source_values
),

referrers_classified as (
    select
        *,
        coalesce(
            referrer_host is not null and not {{ is_site_host('referrer_host') }},
            false
        ) as is_external_referrer
    from referrers_parsed
),

sources as (
    select
        *,
        case when is_external_referrer then referrer_host end as source_referrer_host,
        -- what the category patterns are matched on: utm_source, else the external referrer
        coalesce(
            utm_source, case when is_external_referrer then referrer_host end
        ) as source_match_value,
        coalesce(utm_source, '') as utm_source_key,
        coalesce(utm_medium, '') as utm_medium_key,
        coalesce(referrer_url, '') as referrer_url_key
    from referrers_classified
),

sources_categorised as (
    select
        sources.utm_source_key,
        sources.utm_medium_key,
        sources.referrer_url_key,
        sources.source_match_value,
        coalesce(
            min({{ binary_collation('traffic_source_categories.source_category') }}),
            case when sources.source_match_value is null then 'none' else 'unknown' end
        ) as source_category
    from sources
    left join traffic_source_categories
        on sources.source_match_value like traffic_source_categories.pattern
    group by 1, 2, 3, 4
),

sources_with_category as (
    select
        sources.*,
        sources_categorised.source_category
    from sources
    inner join sources_categorised
        on
            sources.utm_source_key = sources_categorised.utm_source_key
            and sources.utm_medium_key = sources_categorised.utm_medium_key
            and sources.referrer_url_key = sources_categorised.referrer_url_key
),

rule_matches as (
    select
        sources_with_category.utm_source_key,
        sources_with_category.utm_medium_key,
        sources_with_category.referrer_url_key,
        channel_rules.channel,
        row_number() over (
            partition by
                sources_with_category.utm_source_key,
                sources_with_category.utm_medium_key,
                sources_with_category.referrer_url_key
            order by channel_rules.rule_order
        ) as match_rank
    from sources_with_category
    inner join channel_rules
        on
            (
                channel_rules.source_category = 'any'
                or sources_with_category.source_category = channel_rules.source_category
            )
            and (
                (
                    channel_rules.utm_medium_like = '(none)'
                    and sources_with_category.utm_medium is null
                )
                or sources_with_category.utm_medium_key like channel_rules.utm_medium_like
            )
            and (
                channel_rules.has_referrer = 'any'
                or (
                    channel_rules.has_referrer = 'yes'
                    and sources_with_category.is_external_referrer
                )
                or (
                    channel_rules.has_referrer = 'no'
                    and not sources_with_category.is_external_referrer
                )
            )
),

final as (
    select
        -- keys ('' stands for a missing value: staging turns blanks into nulls)
        sources_with_category.utm_source_key,
        sources_with_category.utm_medium_key,
        sources_with_category.referrer_url_key,

        -- strings
        sources_with_category.utm_source,
        sources_with_category.utm_medium,
        sources_with_category.referrer_url,
        sources_with_category.referrer_host,
        sources_with_category.source_referrer_host,
        sources_with_category.source_category,
        coalesce(
            rule_matches.channel,
            case when sources_with_category.source_category = 'none' then 'direct' end,
            'other'
        ) as channel,

        -- booleans
        sources_with_category.is_external_referrer,
        (
            sources_with_category.utm_source is not null
            or sources_with_category.utm_medium is not null
            or sources_with_category.is_external_referrer
        ) as has_source
    from sources_with_category
    left join rule_matches
        on
            sources_with_category.utm_source_key = rule_matches.utm_source_key
            and sources_with_category.utm_medium_key = rule_matches.utm_medium_key
            and sources_with_category.referrer_url_key = rule_matches.referrer_url_key
            and rule_matches.match_rank = 1
)

select * from final

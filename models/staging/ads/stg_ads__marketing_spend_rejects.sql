with

checked as (
    select * from {{ ref('base_ads__marketing_spend_checked') }}
),

final as (
    select
        -- ids
        campaign_id,

        -- why
        reject_reason,

        -- raw values (trimmed text)
        spend_date_text as spend_date,
        channel,
        impressions_text as impressions,
        clicks_text as clicks,
        spend_text as spend,
        avg_position_text as avg_position,
        is_branded_text as is_branded,
        loaded_at_text as loaded_at
    from checked
    where reject_reason is not null
)

select * from final

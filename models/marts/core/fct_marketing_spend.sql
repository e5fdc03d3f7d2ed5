with

marketing_spend as (
    select * from {{ ref('stg_ads__marketing_spend') }}
),

final as (
    select
        marketing_spend_id,
        spend_date,
        channel,
        campaign_id,
        impressions,
        clicks,
        spend,
        avg_position,
        is_branded,
        coalesce(channel in ('paid_search', 'organic_search'), false) as is_search
    from marketing_spend
)

select * from final

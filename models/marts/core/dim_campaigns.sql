with

marketing_spend as (
    select * from {{ ref('stg_ads__marketing_spend') }}
),

campaign_spend_days as (
    select
        campaign_id,
        channel,
        spend_date,
        row_number() over (
            partition by campaign_id
            order by spend_date desc, {{ binary_collation('channel') }} asc
        ) as recency_rank
    from marketing_spend
),

campaign_dates as (
    select
        campaign_id,
        min(spend_date) as first_spend_date,
        max(spend_date) as last_spend_date
    from campaign_spend_days
    group by campaign_id
),

latest_channel as (
    select
        campaign_id,
        channel
    from campaign_spend_days
    where recency_rank = 1
),

final as (
    select
        campaign_dates.campaign_id,
        latest_channel.channel,
        campaign_dates.first_spend_date,
        campaign_dates.last_spend_date
    from campaign_dates
    inner join latest_channel
        on campaign_dates.campaign_id = latest_channel.campaign_id
)

select * from final

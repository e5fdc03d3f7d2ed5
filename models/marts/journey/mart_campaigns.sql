-- One row per campaign x month: delivery (impressions, clicks, CTR, spend), the sessions that
-- arrived with the campaign's utm_campaign, and the completed orders whose last touch was a
-- session of the campaign (last-touch attribution), with ROAS and ROI. Campaigns are those of
-- dim_campaigns (campaigns with spend); months are those with spend, sessions or orders.
with

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

spend as (
    select * from {{ ref('fct_marketing_spend') }}
),

sessions as (
    select * from {{ ref('fct_sessions') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

spend_months as (
    select
        spend.campaign_id,
        dates.month_start_date,
        sum(spend.impressions) as impressions,
        sum(spend.clicks) as clicks,
        sum(spend.spend) as spend
    from spend
    inner join dates
        on spend.spend_date = dates.date_day
    group by 1, 2
),

session_months as (
    select
        campaigns.campaign_id,
        dates.month_start_date,
        count(*) as sessions
    from sessions
    inner join campaigns
        on lower(sessions.utm_campaign) = lower(campaigns.campaign_id)
    inner join dates
        on sessions.session_date = dates.date_day
    group by 1, 2
),

order_months as (
    select
        campaigns.campaign_id,
        dates.month_start_date,
        count(*) as attributed_orders,
        sum(orders.amount) as attributed_revenue,
        sum(orders.gross_margin) as attributed_gross_margin
    from orders
    inner join campaigns
        on lower(orders.last_touch_campaign) = lower(campaigns.campaign_id)
    inner join dates
        on orders.ordered_date = dates.date_day
    where orders.is_completed
    group by 1, 2
),

campaign_months as (
    select
        campaign_id,
        month_start_date
    from spend_months
    union distinct
    select
        campaign_id,
        month_start_date
    from session_months
    union distinct
    select
        campaign_id,
        month_start_date
    from order_months
),

measures as (
    select
        campaign_months.campaign_id,
        campaign_months.month_start_date,
        campaigns.channel,
        coalesce(spend_months.impressions, 0) as impressions,
        coalesce(spend_months.clicks, 0) as clicks,
        coalesce(spend_months.spend, 0) as spend,
        coalesce(session_months.sessions, 0) as sessions,
        coalesce(order_months.attributed_orders, 0) as attributed_orders,
        coalesce(order_months.attributed_revenue, 0) as attributed_revenue,
        coalesce(order_months.attributed_gross_margin, 0) as attributed_gross_margin
    from campaign_months
    inner join campaigns
        on campaign_months.campaign_id = campaigns.campaign_id
    left join spend_months
        on
            campaign_months.campaign_id = spend_months.campaign_id
            and campaign_months.month_start_date = spend_months.month_start_date
    left join session_months
        on
            campaign_months.campaign_id = session_months.campaign_id
            and campaign_months.month_start_date = session_months.month_start_date
    left join order_months
        on
            campaign_months.campaign_id = order_months.campaign_id
            and campaign_months.month_start_date = order_months.month_start_date
),

final as (
    select
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(month_start_date as date) as month_start_date,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        {{ safe_divide('clicks', 'impressions') }} as click_through_rate,
        cast(spend as decimal(28, 6)) as spend,
        cast(sessions as {{ dbt.type_bigint() }}) as sessions,
        cast(attributed_orders as {{ dbt.type_bigint() }}) as attributed_orders,
        cast(attributed_revenue as decimal(28, 6)) as attributed_revenue,
        cast(attributed_gross_margin as decimal(28, 6)) as attributed_gross_margin,
        {{ safe_divide('attributed_revenue', 'spend') }} as return_on_ad_spend,
        {{ safe_divide(marketing_return('attributed_gross_margin', 'spend'), 'spend') }}
            as marketing_roi
    from measures
)

select * from final

-- How does the channel ranking change between the attribution models? Attributed
-- conversions and revenue per channel under every model of fct_attribution_credits over the
-- whole history, with each channel's rank by attributed conversions within the model. Credits
-- are fractions of one conversion, so their sum per channel is the channel's share of the
-- conversions (every model's credits sum to the same total: one per conversion).
with

credits as (
    select * from {{ ref('fct_attribution_credits') }}
),

per_channel as (
    select
        attribution_model,
        channel,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
    from credits
    group by 1, 2
),

final as (
    select
        attribution_model,
        channel,
        round(attributed_conversions, 1) as attributed_conversions,
        round(attributed_revenue, 0) as attributed_revenue,
        rank() over (
            partition by attribution_model order by attributed_conversions desc
        ) as conversion_rank
    from per_channel
)

select * from final
order by 1, 5, 2

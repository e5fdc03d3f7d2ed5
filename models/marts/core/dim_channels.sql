with

channels as (
    select * from {{ ref('channels') }}
),

channel_rules as (
    select * from {{ ref('channel_rules') }}
),

-- Every channel of the seed, plus any channel a rule assigns that the seed lacks.
all_channels as (
    select channel from channels
    union
    select channel from channel_rules
),

final as (
    select
        all_channels.channel,
        coalesce(channels.channel_label, all_channels.channel) as channel_label,
        coalesce(channels.is_paid, false) as is_paid,
        cast(coalesce(channels.sort_order, 999) as integer) as sort_order,
        channels.description
    from all_channels
    left join channels
        on all_channels.channel = channels.channel
)

select * from final

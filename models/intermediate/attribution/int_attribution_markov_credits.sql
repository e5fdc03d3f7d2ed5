{#- The markov attribution model's credit per conversion x touchpoint (doc block
    attribution_markov), read by fct_attribution_credits. Each distinct channel of a
    conversion's path earns its weight (int_attribution_markov_removal_effects) over the sum
    of the weights of the path's distinct channels, split equally among that channel's
    touches. A conversion with no touch gives 1 to its one `unattributed` row; a path whose
    channels all weigh 0 (not expected: see the doc block) splits equally among its
    distinct channels. Interface: conversion_id, touch_position, credit. -#}
with

touchpoints as (
    select * from {{ ref('int_attribution_touchpoints') }}
),

removal_effects as (
    select * from {{ ref('int_attribution_markov_removal_effects') }}
),

conversion_channels as (
    select
        touchpoints.conversion_id,
        touchpoints.channel,
        count(*) as channel_touches,
        max(coalesce(removal_effects.weight, 0)) as weight
    from touchpoints
    left join removal_effects
        on touchpoints.channel = removal_effects.channel
    where touchpoints.touch_count > 0
    group by 1, 2
),

conversion_totals as (
    select
        conversion_id,
        count(*) as distinct_channels,
        sum(weight) as weight_total
    from conversion_channels
    group by 1
),

channel_shares as (
    select
        conversion_channels.conversion_id,
        conversion_channels.channel,
        conversion_channels.channel_touches,
        case
            when conversion_totals.weight_total > 0
                then conversion_channels.weight / conversion_totals.weight_total
            else cast(1 as {{ type_double() }}) / conversion_totals.distinct_channels
        end as channel_share
    from conversion_channels
    inner join conversion_totals
        on conversion_channels.conversion_id = conversion_totals.conversion_id
),

final as (
    select
        touchpoints.conversion_id,
        touchpoints.touch_position,
        cast(
            case
                when touchpoints.touch_count = 0 then 1
                else channel_shares.channel_share / channel_shares.channel_touches
            end as {{ type_double() }}
        ) as credit
    from touchpoints
    left join channel_shares
        on
            touchpoints.conversion_id = channel_shares.conversion_id
            and touchpoints.channel = channel_shares.channel
)

select * from final

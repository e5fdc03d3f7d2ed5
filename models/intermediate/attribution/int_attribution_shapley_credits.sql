{#- The shapley model's credit per conversion x touchpoint, read by fct_attribution_credits
    (interface: conversion_id, touch_position, credit; sums to 1 per conversion). A
    conversion's channel set (int_attribution_shapley_journeys) gives each of its channels
    a credit share (int_attribution_shapley_values), split equally among that channel's
    touches in the conversion; a touch whose channel earns nothing keeps a row with
    credit 0. A conversion with no touch gives 1 to its one `unattributed` row. See the doc
    block attribution_shapley. -#}
with

journeys as (
    select * from {{ ref('int_attribution_journeys') }}
),

channel_sets as (
    select * from {{ ref('int_attribution_shapley_journeys') }}
),

shapley_values as (
    select * from {{ ref('int_attribution_shapley_values') }}
),

conversion_touches as (
    select
        journeys.conversion_id,
        journeys.touch_position,
        journeys.touch_count,
        journeys.channel,
        channel_sets.channel_set,
        count(*) over (
            partition by journeys.conversion_id, journeys.channel
        ) as channel_touches
    from journeys
    left join channel_sets
        on journeys.journey_id = channel_sets.journey_id
    where journeys.is_converting
),

final as (
    select
        conversion_touches.conversion_id,
        conversion_touches.touch_position,
        case
            when conversion_touches.touch_count = 0 then cast(1 as {{ type_double() }})
            else shapley_values.credit_share / conversion_touches.channel_touches
        end as credit
    from conversion_touches
    left join shapley_values
        on
            conversion_touches.channel_set = shapley_values.channel_set
            and conversion_touches.channel = shapley_values.channel
)

select * from final

{#- Placeholder: the markov model's credit per conversion x touchpoint (an equal split until the
    markov model lands). Interface: conversion_id, touch_position, credit (sums to 1 per
    conversion; a conversion with no touch gives 1 to its one `unattributed` row). -#}
with

touchpoints as (
    select * from {{ ref('int_attribution_touchpoints') }}
),

final as (
    select
        conversion_id,
        touch_position,
        cast(1 as {{ type_double() }})
        / (case when touch_count > 1 then touch_count else 1 end) as credit
    from touchpoints
)

select * from final

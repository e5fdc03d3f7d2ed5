-- mart_journey_path_steps is a flow: per persona, every channel node (`<step>. <channel>`)
-- has as many journeys flowing in as flowing out (each journey that reaches a node leaves
-- it, to the next step or to conversion / no_conversion), and the flows into `conversion`
-- carry only converting journeys (conversions = journeys) while those into
-- `no_conversion` carry none.
with

steps as (
    select * from {{ ref('mart_journey_path_steps') }}
),

inflows as (
    select
        persona,
        target_node as node,
        sum(journeys) as journeys
    from steps
    where target not in ('conversion', 'no_conversion')
    group by 1, 2
),

outflows as (
    select
        persona,
        source_node as node,
        sum(journeys) as journeys
    from steps
    where source <> 'start'
    group by 1, 2
),

unbalanced as (
    select
        coalesce(inflows.persona, outflows.persona) as persona,
        coalesce(inflows.node, outflows.node) as node,
        inflows.journeys as journeys_in,
        outflows.journeys as journeys_out
    from inflows
    full outer join outflows
        on
            inflows.persona = outflows.persona
            and inflows.node = outflows.node
    where
        inflows.journeys is null
        or outflows.journeys is null
        or inflows.journeys <> outflows.journeys
),

mislabelled_ends as (
    select
        persona,
        target_node as node,
        journeys as journeys_in,
        conversions as journeys_out
    from steps
    where
        (target = 'conversion' and conversions <> journeys)
        or (target = 'no_conversion' and conversions <> 0)
),

final as (
    select * from unbalanced
    union all
    select * from mislabelled_ends
)

select * from final

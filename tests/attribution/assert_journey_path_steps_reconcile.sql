-- kpi_catalog "Attribution and paths": the Sankey links of mart_journey_path_steps carry the
-- journeys of mart_journey_paths. Per persona (and `all`): the flows out of `start` sum to
-- the journeys, the flows into `conversion` to the conversions and those into
-- `no_conversion` to the non-conversions. A persona missing on either side fails too.
with

paths as (
    select * from {{ ref('mart_journey_paths') }}
),

steps as (
    select * from {{ ref('mart_journey_path_steps') }}
),

path_totals as (
    select
        persona,
        sum(journeys) as journeys,
        sum(conversions) as conversions,
        sum(non_conversions) as non_conversions
    from paths
    group by 1
),

step_totals as (
    select
        persona,
        sum(case when source = 'start' then journeys else 0 end) as journeys,
        sum(case when target = 'conversion' then journeys else 0 end) as conversions,
        sum(case when target = 'no_conversion' then journeys else 0 end) as non_conversions
    from steps
    group by 1
),

compared as (
    select
        coalesce(path_totals.persona, step_totals.persona) as persona,
        path_totals.journeys as path_journeys,
        step_totals.journeys as step_journeys,
        path_totals.conversions as path_conversions,
        step_totals.conversions as step_conversions,
        path_totals.non_conversions as path_non_conversions,
        step_totals.non_conversions as step_non_conversions
    from path_totals
    full outer join step_totals
        on path_totals.persona = step_totals.persona
)

select * from compared
where
    path_journeys is null
    or step_journeys is null
    or path_journeys <> step_journeys
    or path_conversions <> step_conversions
    or path_non_conversions <> step_non_conversions

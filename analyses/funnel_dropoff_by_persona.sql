-- Where in the funnel do enterprise personas drop off (compared with everyone)?
-- People reaching each stage over all cohorts, and the step conversion and drop-off
-- recomputed from those counts (never an average of monthly rates).
with

funnel as (
    select * from {{ ref('mart_journey_funnel') }}
),

stage_totals as (
    select
        persona,
        journey_stage,
        stage_order,
        sum(people_reached) as people_reached,
        sum(people_reached_previous_stage) as people_reached_previous_stage
    from funnel
    where
        channel = 'all'
        and persona in ('enterprise_buyer', 'all')
    group by persona, journey_stage, stage_order
),

final as (
    select
        persona,
        journey_stage,
        stage_order,
        people_reached,
        {{ safe_divide('people_reached', 'people_reached_previous_stage') }}
            as step_conversion_rate,
        1 - {{ safe_divide('people_reached', 'people_reached_previous_stage') }}
            as dropoff_rate
    from stage_totals
)

select * from final
order by persona, stage_order

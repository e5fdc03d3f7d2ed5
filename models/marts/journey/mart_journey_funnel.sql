-- One row per cohort month x channel x persona x journey stage (channel and persona also `all`,
-- computed from the people themselves): people of the cohort reaching the stage (reaching a
-- later stage implies the earlier ones), step conversion from the previous stage, drop-off and
-- overall conversion from awareness. Cohort = month the person was first seen; channel = the
-- person's acquisition channel. Every stage has a row in every cohort slice (0 when nobody
-- reached it).
with

funnel as (
    select * from {{ ref('kpis_journey_funnel_reached') }}
),

stages as (
    select * from {{ ref('dim_journey_stages') }}
),

rollups as (
    {{ kpi_rollup_grid(rollups=true) }}
),

funnel_sliced as (
    select
        funnel.cohort_month_start_date,
        funnel.stage_order,
        case
            when rollups.is_all_channels then 'all' else funnel.acquisition_channel
        end as channel,
        case when rollups.is_all_personas then 'all' else funnel.persona end as persona
    from funnel
    cross join rollups
),

reached as (
    select
        cohort_month_start_date,
        stage_order,
        channel,
        persona,
        count(*) as people_reached
    from funnel_sliced
    group by 1, 2, 3, 4
),

cohort_slices as (
    select
        cohort_month_start_date,
        channel,
        persona,
        people_reached as people_aware
    from reached
    where stage_order = 1
),

grid as (
    select
        cohort_slices.cohort_month_start_date,
        cohort_slices.channel,
        cohort_slices.persona,
        stages.journey_stage,
        stages.stage_order,
        cohort_slices.people_aware,
        coalesce(reached.people_reached, 0) as people_reached
    from cohort_slices
    cross join stages
    left join reached
        on
            cohort_slices.cohort_month_start_date = reached.cohort_month_start_date
            and cohort_slices.channel = reached.channel
            and cohort_slices.persona = reached.persona
            and stages.stage_order = reached.stage_order
),

with_previous as (
    select
        *,
        lag(people_reached) over (
            partition by cohort_month_start_date, channel, persona
            order by stage_order
        ) as people_reached_previous_stage
    from grid
),

final as (
    select
        cast(cohort_month_start_date as date) as cohort_month_start_date,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(persona as {{ dbt.type_string() }}) as persona,
        cast(journey_stage as {{ dbt.type_string() }}) as journey_stage,
        cast(stage_order as {{ dbt.type_int() }}) as stage_order,
        cast(people_reached as {{ dbt.type_bigint() }}) as people_reached,
        cast(people_reached_previous_stage as {{ dbt.type_bigint() }})
            as people_reached_previous_stage,
        cast(people_aware as {{ dbt.type_bigint() }}) as people_aware,
        {{ safe_divide('people_reached', 'people_reached_previous_stage') }}
            as step_conversion_rate,
        {{ safe_divide(
            'people_reached_previous_stage - people_reached', 'people_reached_previous_stage'
        ) }} as dropoff_rate,
        {{ safe_divide('people_reached', 'people_aware') }} as overall_conversion_rate
    from with_previous
)

select * from final

-- One row per funnel step x channel x persona x period grain x period start:
-- funnel_dropoff_rate, with journey_stage = the step (the stage reached next; awareness, the
-- first stage, has no row). numerator = people of the cohort who reached the previous stage
-- but not this one, denominator = people of the cohort who reached the previous stage.
-- Cohort = the period the person was first seen; channel = acquisition channel.
with

funnel as (
    select * from {{ ref('kpis_journey_funnel_reached') }}
),

stages as (
    select * from {{ ref('dim_journey_stages') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

funnel_rows as (
    select
        cohort_date,
        acquisition_channel,
        persona,
        stage_order
    from funnel
),

sliced as (
    {{ kpi_slices(
        'funnel_rows', 'cohort_date', ['stage_order'], channel_column='acquisition_channel'
    ) }}
),

reached as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        stage_order,
        count(*) as people_reached
    from sliced
    group by 1, 2, 3, 4, 5
),

steps as (
    select
        previous_stage.period_grain,
        previous_stage.period_start,
        previous_stage.channel,
        previous_stage.persona,
        stages.journey_stage,
        previous_stage.people_reached as people_reached_previous,
        coalesce(this_stage.people_reached, 0) as people_reached
    from reached as previous_stage
    inner join stages
        on previous_stage.stage_order + 1 = stages.stage_order
    left join reached as this_stage
        on
            previous_stage.period_grain = this_stage.period_grain
            and previous_stage.period_start = this_stage.period_start
            and previous_stage.channel = this_stage.channel
            and previous_stage.persona = this_stage.persona
            and stages.stage_order = this_stage.stage_order
),

final as (
    select
        {{ kpi_row(
            'funnel_dropoff_rate', 'all',
            'people_reached_previous - people_reached', 'people_reached_previous',
            journey_stage_column='journey_stage'
        ) }}
    from steps
)

select * from final

-- One row per person x journey stage reached. A person reaches a stage directly with an event
-- of that stage (seed journey_stage_map) or, for conversion, with a completed order or a
-- conversion event (is_conversion_event, which includes a purchase event without order id:
-- one person, one conversion reach, however many); conversion-stage events that are not
-- conversions (add_to_cart, checkout_start, trial_start, the purchase event of an order that
-- was not completed) show intent and count as consideration. The stages after conversion
-- (onboarding, retention, advocacy) count only for people who converted: an e-mail opened or
-- a login by someone who never bought counts as consideration, not as a trip through the
-- funnel. A person reaches a stage when they reached it or any later stage directly (as
-- counted above), so stage counts never increase down the funnel;
-- reached_at is the first direct reach of the stage or of any later one. Cohort = the date
-- the person was first seen (first event; first completed order for people only in commerce).
with

events as (
    select * from {{ ref('fct_events') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

stages as (
    select * from {{ ref('dim_journey_stages') }}
),

touches as (
    select
        person_id,
        case
            when is_conversion_event then 'conversion'
            when journey_stage = 'conversion' then 'consideration'
            else journey_stage
        end as journey_stage,
        occurred_at
    from events
    union all
    select
        person_id,
        'conversion' as journey_stage,
        ordered_at as occurred_at
    from orders
    where is_completed
),

direct_reaches as (
    select
        touches.person_id,
        stages.stage_order,
        min(touches.occurred_at) as first_reached_at
    from touches
    inner join stages
        on touches.journey_stage = stages.journey_stage
    group by 1, 2
),

stage_orders as (
    select
        max(case when journey_stage = 'consideration' then stage_order end)
            as consideration_order,
        max(case when journey_stage = 'conversion' then stage_order end) as conversion_order
    from stages
),

converted_people as (
    select distinct direct_reaches.person_id
    from direct_reaches
    inner join stage_orders
        on direct_reaches.stage_order = stage_orders.conversion_order
),

-- Post-conversion stage events of people who never converted count as consideration.
counted_reaches as (
    select
        direct_reaches.person_id,
        case
            when
                direct_reaches.stage_order > stage_orders.conversion_order
                and converted_people.person_id is null
                then stage_orders.consideration_order
            else direct_reaches.stage_order
        end as stage_order,
        min(direct_reaches.first_reached_at) as first_reached_at
    from direct_reaches
    cross join stage_orders
    left join converted_people
        on direct_reaches.person_id = converted_people.person_id
    group by 1, 2
),

reaches as (
    select
        counted_reaches.person_id,
        stages.journey_stage,
        stages.stage_order,
        max(
            case
                when counted_reaches.stage_order = stages.stage_order
                    then counted_reaches.first_reached_at
            end
        ) as first_reached_at,
        min(counted_reaches.first_reached_at) as reached_at
    from counted_reaches
    inner join stages
        on counted_reaches.stage_order >= stages.stage_order
    group by 1, 2, 3
),

first_touches as (
    select
        person_id,
        min(reached_at) as first_touch_at
    from reaches
    group by 1
),

cohorts as (
    select
        first_touches.person_id,
        {{ attributed_channel('people.acquisition_channel') }} as acquisition_channel,
        coalesce(people.persona, 'unassigned') as persona,
        coalesce(people.first_seen_at, first_touches.first_touch_at) as cohort_at
    from first_touches
    left join people
        on first_touches.person_id = people.person_id
),

final as (
    select
        reaches.person_id,
        reaches.journey_stage,
        reaches.stage_order,
        cohorts.acquisition_channel,
        cohorts.persona,
        reaches.first_reached_at is not null as is_reached_directly,
        cast(cohorts.cohort_at as date) as cohort_date,
        cast({{ dbt.date_trunc('month', 'cohorts.cohort_at') }} as date) as cohort_month_start_date,
        reaches.first_reached_at,
        reaches.reached_at
    from reaches
    inner join cohorts
        on reaches.person_id = cohorts.person_id
)

select * from final

{#- One row per first-touch channel x persona (each also `all`): the distribution of touches
    and of days to conversion over the converting journeys of int_attribution_journeys that
    have at least one touch (doc block journey_conversion_times). Touches = the journey's
    touch_count (repeats not collapsed); days = days_before_end of its first touch (from
    the first touch in the lookback window to the conversion). Medians, means and p90s are
    non-additive. -#}
with

journeys as (
    select * from {{ ref('int_attribution_journeys') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

rollups as (
    {{ kpi_rollup_grid(rollups=true) }}
),

conversions as (
    select
        journeys.journey_id,
        journeys.channel as first_channel,
        coalesce(people.persona, 'unassigned') as persona,
        cast(journeys.touch_count as {{ type_double() }}) as touches,
        journeys.days_before_end as days_to_conversion
    from journeys
    left join people
        on journeys.person_id = people.person_id
    where
        journeys.is_converting
        and journeys.touch_position = 1
),

conversions_sliced as (
    select
        conversions.touches,
        conversions.days_to_conversion,
        case when rollups.is_all_channels then 'all' else conversions.first_channel end
            as channel,
        case when rollups.is_all_personas then 'all' else conversions.persona end as persona
    from conversions
    cross join rollups
),

distributions as (
    select
        channel,
        persona,
        count(*) as conversions,
        {{ median_of('touches') }} as touches_median,
        avg(touches) as touches_mean,
        {{ percentile_of('touches', 0.9) }} as touches_p90,
        {{ median_of('days_to_conversion') }} as days_to_conversion_median,
        avg(days_to_conversion) as days_to_conversion_mean,
        {{ percentile_of('days_to_conversion', 0.9) }} as days_to_conversion_p90
    from conversions_sliced
    group by 1, 2
),

final as (
    select
        -- ids
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(persona as {{ dbt.type_string() }}) as persona,

        -- numerics
        cast(conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(touches_median as {{ type_double() }}) as touches_median,
        cast(touches_mean as {{ type_double() }}) as touches_mean,
        cast(touches_p90 as {{ type_double() }}) as touches_p90,
        cast(days_to_conversion_median as {{ type_double() }}) as days_to_conversion_median,
        cast(days_to_conversion_mean as {{ type_double() }}) as days_to_conversion_mean,
        cast(days_to_conversion_p90 as {{ type_double() }}) as days_to_conversion_p90
    from distributions
)

select * from final

{#- One row per journey path x persona (persona also `all`): the ordered channel sequence of
    every converting and non-converting journey of int_attribution_journeys, with journeys,
    conversions, conversion rate and revenue (doc block journey_paths). Consecutive repeats
    of a channel are collapsed into one step unless var journey_paths_collapse_repeats is
    false. -#}
{%- set collapse_repeats = var('journey_paths_collapse_repeats', true) -%}
{%- set top_paths = var('journey_paths_top_n', 20) | int -%}

with

journeys as (
    select * from {{ ref('int_attribution_journeys') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

rollups as (
    {{ kpi_rollup_grid(slice_channels=false, rollups=true) }}
),

touches_compared as (
    select
        journey_id,
        person_id,
        is_converting,
        journey_revenue,
        touch_position,
        channel,
        lag(channel) over (
            partition by journey_id order by touch_position
        ) as previous_channel
    from journeys
),

steps as (
    select
        journey_id,
        person_id,
        is_converting,
        journey_revenue,
        channel,
        row_number() over (
            partition by journey_id order by touch_position
        ) as step_number
    from touches_compared
    {%- if collapse_repeats %}
        where previous_channel is null or channel <> previous_channel
    {%- endif %}
),

journey_paths as (
    select
        journey_id,
        person_id,
        is_converting,
        journey_revenue,
        {{ dbt.listagg('channel', "' > '", 'order by step_number') }} as path, -- noqa: RF04
        max(case when step_number = 1 then channel end) as first_channel,
        max(step_number) as path_length
    from steps
    group by 1, 2, 3, 4
),

journey_paths_ended as (
    select
        journey_paths.*,
        steps.channel as last_channel,
        people.persona
    from journey_paths
    inner join steps
        on
            journey_paths.journey_id = steps.journey_id
            and journey_paths.path_length = steps.step_number
    left join people
        on journey_paths.person_id = people.person_id
),

journey_paths_sliced as (
    select
        journey_paths_ended.path,
        journey_paths_ended.first_channel,
        journey_paths_ended.last_channel,
        journey_paths_ended.path_length,
        journey_paths_ended.is_converting,
        journey_paths_ended.journey_revenue,
        case
            when rollups.is_all_personas then 'all'
            else coalesce(journey_paths_ended.persona, 'unassigned')
        end as persona
    from journey_paths_ended
    cross join rollups
),

path_totals as (
    select
        path,
        persona,
        first_channel,
        last_channel,
        path_length,
        count(*) as journeys,
        sum(case when is_converting then 1 else 0 end) as conversions,
        sum(journey_revenue) as revenue
    from journey_paths_sliced
    group by 1, 2, 3, 4, 5
),

path_ranked as (
    select
        *,
        row_number() over (
            partition by persona
            order by journeys desc, conversions desc, {{ binary_collation('path') }}
        ) as path_rank
    from path_totals
),

final as (
    select
        -- ids
        cast(path as {{ dbt.type_string() }}) as path, -- noqa: RF04
        cast(persona as {{ dbt.type_string() }}) as persona,

        -- strings
        cast(first_channel as {{ dbt.type_string() }}) as first_channel,
        cast(last_channel as {{ dbt.type_string() }}) as last_channel,

        -- numerics
        cast(path_length as {{ dbt.type_bigint() }}) as path_length,
        cast(journeys as {{ dbt.type_bigint() }}) as journeys,
        cast(conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(journeys - conversions as {{ dbt.type_bigint() }}) as non_conversions,
        {{ safe_divide('conversions', 'journeys') }} as conversion_rate,
        cast(revenue as {{ dbt.type_numeric() }}) as revenue,
        {{ safe_divide('revenue', 'journeys') }} as revenue_per_journey,
        cast(path_rank as {{ dbt.type_bigint() }}) as path_rank,

        -- booleans
        path_rank <= {{ top_paths }} as is_top_path
    from path_ranked
)

select * from final

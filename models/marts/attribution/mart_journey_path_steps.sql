{#- One row per persona (also `all`) x step number x source x target: the links of the
    journey paths of mart_journey_paths, counted in journeys, that a Sankey chart reads
    directly (doc block journey_path_steps). Each journey flows start -> its first channel
    -> ... -> its last channel -> conversion or no_conversion. Channel nodes are labelled
    with their step ('2. email'), so the graph is acyclic; a path longer than var
    journey_paths_max_steps keeps its first max_steps - 1 steps and folds the rest into one
    node `more_steps` at step max_steps. -#}
{%- set collapse_repeats = var('journey_paths_collapse_repeats', true) -%}
{%- set max_steps = var('journey_paths_max_steps', 6) | int -%}
{%- if max_steps < 2 -%}
    {{ exceptions.raise_compiler_error(
        "var journey_paths_max_steps must be at least 2 (got " ~ max_steps ~ ")"
    ) }}
{%- endif -%}
{%- set source_label = dbt.concat(
    ['cast(step_number - 1 as ' ~ dbt.type_string() ~ ')', "'. '", 'source']
) -%}
{%- set target_label = dbt.concat(
    ['cast(step_number as ' ~ dbt.type_string() ~ ')', "'. '", 'target']
) -%}

-- source and target, the Sankey names of a link's ends, are plain column names on every
-- engine of the project (sqlfluff's keyword rule is off for them)
-- noqa: disable=RF04
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
        channel,
        row_number() over (
            partition by journey_id order by touch_position
        ) as step_number
    from touches_compared
    {%- if collapse_repeats %}
        where previous_channel is null or channel <> previous_channel
    {%- endif %}
),

steps_measured as (
    select
        *,
        max(step_number) over (partition by journey_id) as path_length
    from steps
),

-- a path longer than max_steps keeps steps 1 .. max_steps - 1; its later steps become one
-- node `more_steps` at step max_steps (distinct: one row for the folded steps)
steps_counted as (
    select distinct
        journey_id,
        person_id,
        is_converting,
        case
            when path_length <= {{ max_steps }} or step_number < {{ max_steps }}
                then step_number
            else {{ max_steps }}
        end as step_number,
        case
            when path_length <= {{ max_steps }} or step_number < {{ max_steps }}
                then channel
            else 'more_steps'
        end as channel
    from steps_measured
),

steps_linked as (
    select
        *,
        lead(channel) over (partition by journey_id order by step_number) as next_channel
    from steps_counted
),

-- start -> the first node; every node -> the next one, or the last -> conversion /
-- no_conversion
links as (
    select
        journey_id,
        person_id,
        is_converting,
        step_number,
        'start' as source,
        channel as target
    from steps_linked
    where step_number = 1
    union all
    select
        journey_id,
        person_id,
        is_converting,
        step_number + 1 as step_number,
        channel as source,
        case
            when next_channel is not null then next_channel
            when is_converting then 'conversion'
            else 'no_conversion'
        end as target
    from steps_linked
),

links_sliced as (
    select
        links.step_number,
        links.source,
        links.target,
        links.is_converting,
        case
            when rollups.is_all_personas then 'all'
            else coalesce(people.persona, 'unassigned')
        end as persona
    from links
    left join people
        on links.person_id = people.person_id
    cross join rollups
),

link_totals as (
    select
        persona,
        step_number,
        source,
        target,
        count(*) as journeys,
        sum(case when is_converting then 1 else 0 end) as conversions
    from links_sliced
    group by 1, 2, 3, 4
),

final as (
    select
        -- ids
        cast(persona as {{ dbt.type_string() }}) as persona,
        cast(step_number as {{ dbt.type_bigint() }}) as step_number,
        cast(source as {{ dbt.type_string() }}) as source,
        cast(target as {{ dbt.type_string() }}) as target,

        -- strings
        cast(
            case
                when source = 'start' then source
                else {{ source_label }}
            end as {{ dbt.type_string() }}
        ) as source_node,
        cast(
            case
                when target in ('conversion', 'no_conversion') then target
                else {{ target_label }}
            end as {{ dbt.type_string() }}
        ) as target_node,

        -- numerics
        cast(journeys as {{ dbt.type_bigint() }}) as journeys,
        cast(conversions as {{ dbt.type_bigint() }}) as conversions
    from link_totals
)

select * from final

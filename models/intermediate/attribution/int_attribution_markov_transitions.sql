{#- The first-order Markov chain of the markov attribution model (doc block
    attribution_markov): one row per observed transition from_state -> to_state, counted
    over the channel paths of every journey of int_attribution_journeys with at least one
    touch (converting and non-converting), consecutive repeats of a channel collapsed.
    States: `start`, the channels, `conversion` and `null`. -#}
with

journeys as (
    select * from {{ ref('int_attribution_journeys') }}
),

-- the no-touch row of a conversion (touch_position 0, `unattributed`) is no path
touches as (
    select
        journey_id,
        touch_position,
        channel,
        is_converting,
        lag(channel) over (
            partition by journey_id order by touch_position
        ) as previous_channel
    from journeys
    where touch_position > 0
),

-- consecutive repeats collapsed: a self-loop changes no absorption probability
path_steps as (
    select
        journey_id,
        touch_position,
        channel,
        is_converting,
        row_number() over (
            partition by journey_id order by touch_position
        ) as step_position
    from touches
    where previous_channel is null or previous_channel <> channel
),

path_steps_linked as (
    select
        journey_id,
        channel,
        is_converting,
        step_position,
        lead(channel) over (
            partition by journey_id order by step_position
        ) as next_channel
    from path_steps
),

steps as (
    select
        'start' as from_state,
        channel as to_state
    from path_steps_linked
    where step_position = 1
    union all
    select
        channel as from_state,
        coalesce(
            next_channel,
            case when is_converting then 'conversion' else 'null' end
        ) as to_state
    from path_steps_linked
),

transition_counts as (
    select
        from_state,
        to_state,
        count(*) as transitions
    from steps
    group by 1, 2
),

transitions_measured as (
    select
        from_state,
        to_state,
        transitions,
        sum(transitions) over (partition by from_state) as transitions_out
    from transition_counts
),

final as (
    select
        -- ids
        cast(from_state as {{ dbt.type_string() }}) as from_state,
        cast(to_state as {{ dbt.type_string() }}) as to_state,

        -- numerics
        cast(transitions as {{ dbt.type_bigint() }}) as transitions,
        cast(transitions as {{ type_double() }}) / transitions_out as probability
    from transitions_measured
)

select * from final

{#- Removal effect and weight of every channel of the markov attribution model (doc block
    attribution_markov). The probability of reaching `conversion` from `start` is found by
    propagating a probability-mass vector through the chain of int_attribution_markov_transitions
    for var attribution_markov_steps steps (a Jinja-unrolled chain of CTEs, each reading the
    one before once, so the plan stays linear on engines that inline CTEs), once for the
    full chain (removed_channel null) and once per removed channel (every transition into it
    sent to `null`). Mass that reaches `null` leaves; mass in `conversion` stays. The mass
    still in a channel after the last step is the residual (the test
    assert_attribution_markov_steps_suffice fails when it exceeds 1e-9). -#}
{%- set steps = var('attribution_markov_steps', 60) | int -%}
{%- if steps < 1 -%}
    {{ exceptions.raise_compiler_error(
        "var attribution_markov_steps must be a positive integer, got " ~ steps
    ) }}
{%- endif -%}

with

transitions as (
    select * from {{ ref('int_attribution_markov_transitions') }}
),

channels as (
    select distinct from_state as channel
    from transitions
    where from_state <> 'start'
),

-- the full chain (removed_channel null), then one chain per removed channel
scenarios as (
    select cast(null as {{ dbt.type_string() }}) as removed_channel
    union all
    select channel as removed_channel
    from channels
),

-- `conversion` keeps its mass; `null` has no way out, so its mass leaves the vector
chain_transitions as (
    select
        from_state,
        to_state,
        probability
    from transitions
    union all
    select
        'conversion' as from_state,
        'conversion' as to_state,
        cast(1 as {{ type_double() }}) as probability
),

mass_step_0 as (
    select
        removed_channel,
        'start' as state,
        cast(1 as {{ type_double() }}) as mass
    from scenarios
),

{% for step in range(1, steps + 1) %}
    mass_step_{{ step }} as (
        select
            mass_step_{{ step - 1 }}.removed_channel,
            case
                when chain_transitions.to_state = mass_step_{{ step - 1 }}.removed_channel
                    then 'null'
                else chain_transitions.to_state
            end as state,
            sum(mass_step_{{ step - 1 }}.mass * chain_transitions.probability) as mass
        from mass_step_{{ step - 1 }}
        inner join chain_transitions
            on mass_step_{{ step - 1 }}.state = chain_transitions.from_state
        group by 1, 2
    ),

{% endfor %}

absorbed as (
    select
        removed_channel,
        sum(case when state = 'conversion' then mass else 0 end) as conversion_probability,
        sum(
            case when state not in ('conversion', 'null') then mass else 0 end
        ) as residual_mass
    from mass_step_{{ steps }}
    group by 1
),

full_chain as (
    select
        conversion_probability,
        residual_mass
    from absorbed
    where removed_channel is null
),

effects as (
    select
        channels.channel,
        full_chain.conversion_probability,
        coalesce(
            removed.conversion_probability, 0
        ) as conversion_probability_without_channel,
        -- removing a channel never raises the probability: clamp rounding noise at 0
        case
            when
                full_chain.conversion_probability > 0
                and coalesce(removed.conversion_probability, 0)
                < full_chain.conversion_probability
                then
                    1
                    - coalesce(removed.conversion_probability, 0)
                    / full_chain.conversion_probability
            else 0
        end as removal_effect,
        case
            when full_chain.residual_mass > coalesce(removed.residual_mass, 0)
                then full_chain.residual_mass
            else coalesce(removed.residual_mass, 0)
        end as residual_mass
    from channels
    cross join full_chain
    left join absorbed as removed
        on channels.channel = removed.removed_channel
),

effects_weighted as (
    select
        *,
        sum(removal_effect) over () as removal_effect_total
    from effects
),

final as (
    select
        -- ids
        cast(channel as {{ dbt.type_string() }}) as channel,

        -- numerics
        cast(conversion_probability as {{ type_double() }}) as conversion_probability,
        cast(
            conversion_probability_without_channel as {{ type_double() }}
        ) as conversion_probability_without_channel,
        cast(removal_effect as {{ type_double() }}) as removal_effect,
        cast(
            case
                when removal_effect_total > 0 then removal_effect / removal_effect_total
                else 0
            end as {{ type_double() }}
        ) as weight,
        cast(residual_mass as {{ type_double() }}) as residual_mass,
        cast({{ steps }} as {{ dbt.type_bigint() }}) as markov_steps
    from effects_weighted
)

select * from final

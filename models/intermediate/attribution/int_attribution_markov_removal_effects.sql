{#- Removal effect and weight of every channel of the markov attribution model (doc block
    attribution_markov). The probability of reaching `conversion` from `start` within n steps
    is entry (start, conversion) of the n-th power of the transition matrix of
    int_attribution_markov_transitions, for the full chain (scenario `(none)`) and for one
    chain per removed channel (every transition into it sent to `null`). The power is taken
    by repeated squaring: k Jinja-unrolled squarings give n = 2^k steps, the smallest power
    of two at or above var attribution_markov_steps, so the plan is only k joins deep (Spark
    inlines CTEs and its analyser gives up on plans that are dozens of joins deep). `conversion`
    keeps its mass (a self-loop); `null` has no way out, so mass that reaches it leaves. The
    mass still in a channel after the last step is the residual (the test
    assert_attribution_markov_steps_suffice fails when it exceeds 1e-9). -#}
{%- set min_steps = var('attribution_markov_steps', 60) | int -%}
{%- if min_steps < 1 -%}
    {{ exceptions.raise_compiler_error(
        "var attribution_markov_steps must be a positive integer, got " ~ min_steps
    ) }}
{%- endif -%}
{%- set squarings = namespace(count=0, steps=1) -%}
{%- for doubling in range(64) -%}
    {%- if squarings.steps < min_steps -%}
        {%- set squarings.count = squarings.count + 1 -%}
        {%- set squarings.steps = squarings.steps * 2 -%}
    {%- endif -%}
{%- endfor -%}
{%- set steps = squarings.steps -%}

with

transitions as (
    select * from {{ ref('int_attribution_markov_transitions') }}
),

channels as (
    select distinct from_state as channel
    from transitions
    where from_state <> 'start'
),

-- the full chain (`(none)`: no channel removed), then one chain per removed channel
scenarios as (
    select '(none)' as removed_channel
    union all
    select channel as removed_channel
    from channels
),

-- `conversion` keeps its mass; `null` has no way out, so its mass leaves
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

-- one transition matrix per scenario; a removed channel has no way in (its transitions go
-- to `null`) and its own row can no longer be reached
matrix_power_0 as (
    select
        scenarios.removed_channel,
        chain_transitions.from_state,
        case
            when chain_transitions.to_state = scenarios.removed_channel then 'null'
            else chain_transitions.to_state
        end as to_state,
        sum(chain_transitions.probability) as probability
    from scenarios
    cross join chain_transitions
    group by 1, 2, 3
),

{% for power in range(1, squarings.count + 1) %}
    -- the matrix to the power 2^{{ power }}: the previous power squared
    matrix_power_{{ power }} as (
        select
            matrix_left.removed_channel,
            matrix_left.from_state,
            matrix_right.to_state,
            sum(matrix_left.probability * matrix_right.probability) as probability
        from matrix_power_{{ power - 1 }} as matrix_left
        inner join matrix_power_{{ power - 1 }} as matrix_right
            on
                matrix_left.removed_channel = matrix_right.removed_channel
                and matrix_left.to_state = matrix_right.from_state
        group by 1, 2, 3
    ),

{% endfor %}

absorbed as (
    select
        removed_channel,
        sum(case when to_state = 'conversion' then probability else 0 end)
            as conversion_probability,
        sum(
            case when to_state not in ('conversion', 'null') then probability else 0 end
        ) as residual_mass
    from matrix_power_{{ squarings.count }}
    where from_state = 'start'
    group by 1
),

full_chain as (
    select
        conversion_probability,
        residual_mass
    from absorbed
    where removed_channel = '(none)'
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

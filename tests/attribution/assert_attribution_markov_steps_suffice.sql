{#- The markov model follows the chain for var attribution_markov_steps steps (rounded up to a
    power of two); the
    mass not yet absorbed after the last step bounds the error of its probabilities. A row
    here means that bound exceeds 1e-9: raise var attribution_markov_steps (for example
    `--vars '{attribution_markov_steps: 128}'` or in dbt_project.yml). -#}
with

removal_effects as (
    select * from {{ ref('int_attribution_markov_removal_effects') }}
),

final as (
    select
        channel,
        residual_mass,
        markov_steps,
        'mass left after the last step exceeds 1e-9: raise var attribution_markov_steps'
            as error_message
    from removal_effects
    where residual_mass > 1e-9
)

select * from final

-- One row per KPI of the catalog (seed kpi_definitions): its stage, unit, how it aggregates
-- and the roll-up rule in words, whether higher is better, and its definition. BI tools join
-- it to mart_kpi_values by kpi_name (which also carries aggregation and unit itself).
with

definitions as (
    select * from {{ ref('kpi_definitions') }}
),

final as (
    select
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(journey_stage as {{ dbt.type_string() }}) as journey_stage,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(aggregation as {{ dbt.type_string() }}) as aggregation,
        cast(
            case aggregation
                when 'ratio'
                    then 'sum(numerator) / sum(denominator), one period_grain, all or detail rows'
                when 'additive'
                    then 'sum(value) over one period_grain, all or detail rows'
                else 'never sum or average: read the row of the grain and slice you need'
            end as {{ dbt.type_string() }}
        ) as rollup_rule,
        cast(aggregation_note as {{ dbt.type_string() }}) as aggregation_note,
        cast(higher_is_better as boolean) as higher_is_better,
        cast(sample_unit as {{ dbt.type_string() }}) as sample_unit,
        cast(stored_as as {{ dbt.type_string() }}) as stored_as,
        cast(is_persona_sliced as boolean) as is_persona_sliced,
        cast(description as {{ dbt.type_string() }}) as description
    from definitions
)

select * from final

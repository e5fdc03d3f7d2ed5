-- One row per KPI value of mart_kpi_values at the month grain that has a target in seed
-- kpi_targets: actual vs target, and a flag when the KPI misses its goal. A target row with
-- an empty stage/channel/persona applies to every value; the most specific target wins.
-- A value whose sample (its denominator, when it counts responses, sessions, customers...:
-- seed kpi_definitions.sample_unit) is below var min_sample_size is not flagged: its status
-- says so instead, since a miss on 1 to 4 answers is noise.
{%- set min_sample_size = var('min_sample_size', 30) %}
with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

targets as (
    select * from {{ ref('kpi_targets') }}
),

definitions as (
    select * from {{ ref('kpi_definitions') }}
),

candidates as (
    select
        kpi_values.kpi_name,
        kpi_values.journey_stage,
        kpi_values.channel,
        kpi_values.persona,
        kpi_values.period_start,
        kpi_values.numerator,
        kpi_values.denominator,
        kpi_values.value,
        definitions.sample_unit,
        targets.target_value,
        targets.direction,
        targets.description as target_description,
        row_number() over (
            partition by
                kpi_values.kpi_name,
                kpi_values.journey_stage,
                kpi_values.channel,
                kpi_values.persona,
                kpi_values.period_start
            order by
                case when targets.persona is null then 0 else 1 end
                + case when targets.channel is null then 0 else 1 end
                + case when targets.journey_stage is null then 0 else 1 end desc,
                targets.target_value
        ) as target_rank
    from kpi_values
    inner join targets
        on
            kpi_values.kpi_name = targets.kpi_name
            and (targets.journey_stage is null or kpi_values.journey_stage = targets.journey_stage)
            and (targets.channel is null or kpi_values.channel = targets.channel)
            and (targets.persona is null or kpi_values.persona = targets.persona)
    left join definitions
        on kpi_values.kpi_name = definitions.kpi_name
    where kpi_values.period_grain = 'month'
),

compared as (
    select
        *,
        case
            when value is null then 'no_value'
            when
                sample_unit is not null
                and coalesce(denominator, 0) < {{ min_sample_size }}
                then 'sample_too_small'
            when
                (direction = 'higher' and value < target_value)
                or (direction = 'lower' and value > target_value)
                then 'missed'
            else 'met'
        end as target_status
    from candidates
    where target_rank = 1
),

final as (
    select
        kpi_name,
        journey_stage,
        channel,
        persona,
        target_description,
        direction,
        period_start as month_start_date,
        numerator,
        denominator,
        case when sample_unit is not null then denominator end as sample_size,
        cast(sample_unit as {{ dbt.type_string() }}) as sample_unit,
        value,
        cast(target_value as {{ journey_kpis.type_double() }}) as target_value,
        value - target_value as gap_to_target,
        cast(target_status as {{ dbt.type_string() }}) as target_status,
        target_status = 'missed' as is_missing_target
    from compared
)

select * from final

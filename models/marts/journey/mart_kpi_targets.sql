-- One row per KPI value of mart_kpi_values at the month grain that has a target in seed
-- kpi_targets: actual vs target, and a flag when the KPI misses its goal. A target row with
-- an empty stage/channel/persona applies to every value; the most specific target wins.
with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

targets as (
    select * from {{ ref('kpi_targets') }}
),

candidates as (
    select
        kpi_values.kpi_name,
        kpi_values.journey_stage,
        kpi_values.channel,
        kpi_values.persona,
        kpi_values.period_start,
        kpi_values.value,
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
    where kpi_values.period_grain = 'month'
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
        value,
        cast(target_value as {{ journey_kpis.type_double() }}) as target_value,
        value - target_value as gap_to_target,
        value is not null
        and (
            (direction = 'higher' and value < target_value)
            or (direction = 'lower' and value > target_value)
        ) as is_missing_target
    from candidates
    where target_rank = 1
)

select * from final

-- Which KPIs missed their target last month, overall and for which channels and personas?
-- A miss counts only where the value rests on enough data: a value whose sample (responses,
-- sessions, customers, ...) is below var min_sample_size has target_status
-- `sample_too_small` in mart_kpi_targets and is left out here. Numerator, denominator and
-- sample size show what each miss rests on.
with

targets as (
    select * from {{ ref('mart_kpi_targets') }}
),

last_month as (
    select max(month_start_date) as month_start_date
    from targets
),

final as (
    select
        targets.kpi_name,
        targets.channel,
        targets.persona,
        targets.value,
        targets.target_value,
        targets.direction,
        targets.gap_to_target,
        targets.numerator,
        targets.denominator,
        targets.sample_size,
        targets.sample_unit
    from targets
    inner join last_month
        on targets.month_start_date = last_month.month_start_date
    where targets.target_status = 'missed'
)

select * from final
order by kpi_name, channel, persona

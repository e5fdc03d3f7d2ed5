-- Which KPIs missed their target last month, overall and for which channels and personas?
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
        targets.gap_to_target
    from targets
    inner join last_month
        on targets.month_start_date = last_month.month_start_date
    where targets.is_missing_target
)

select * from final
order by kpi_name, channel, persona

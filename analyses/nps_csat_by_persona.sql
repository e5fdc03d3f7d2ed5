-- How satisfied is each persona? NPS, CSAT and effort over the whole history, recomputed
-- from the stored numerators and denominators (the right way to roll up ratios).
with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

final as (
    select
        persona,
        {{ safe_divide(
            "sum(case when kpi_name = 'nps' then numerator end)",
            "sum(case when kpi_name = 'nps' then denominator end)"
        ) }} as nps,
        {{ safe_divide(
            "sum(case when kpi_name = 'csat' then numerator end)",
            "sum(case when kpi_name = 'csat' then denominator end)"
        ) }} as csat,
        {{ safe_divide(
            "sum(case when kpi_name = 'customer_effort_score' then numerator end)",
            "sum(case when kpi_name = 'customer_effort_score' then denominator end)"
        ) }} as customer_effort_score,
        sum(case when kpi_name = 'nps' then denominator end) as nps_respondents
    from kpi_values
    where
        period_grain = 'month'
        and channel = 'all'
    group by persona
)

select * from final
order by nps desc

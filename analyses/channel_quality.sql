-- Which channels bring engaged visitors, and which bring customers?
-- Over the whole history, per session channel: sessions, bounce rate and session conversion
-- rate, recomputed from the stored numerators and denominators.
with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

monthly as (
    select *
    from kpi_values
    where
        period_grain = 'month'
        and persona = 'all'
        and kpi_name in ('sessions', 'bounce_rate', 'conversion_rate', 'engagement_rate')
),

final as (
    select
        channel,
        sum(case when kpi_name = 'sessions' then numerator end) as sessions,
        {{ safe_divide(
            "sum(case when kpi_name = 'bounce_rate' then numerator end)",
            "sum(case when kpi_name = 'bounce_rate' then denominator end)"
        ) }} as bounce_rate,
        {{ safe_divide(
            "sum(case when kpi_name = 'engagement_rate' then numerator end)",
            "sum(case when kpi_name = 'engagement_rate' then denominator end)"
        ) }} as engagement_rate,
        {{ safe_divide(
            "sum(case when kpi_name = 'conversion_rate' then numerator end)",
            "sum(case when kpi_name = 'conversion_rate' then denominator end)"
        ) }} as conversion_rate
    from monthly
    group by channel
)

select * from final
order by sessions desc

-- Which channel brings the customers with the best LTV:CAC?
-- Over the last 12 months of data: spend and new customers per channel (CAC from its own
-- numerator and denominator, never an average of monthly ratios), next to the predicted,
-- margin-adjusted lifetime value of the channel's customers and the resulting LTV:CAC.
with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

last_month as (
    select max(period_start) as month_start_date
    from kpi_values
    where period_grain = 'month'
),

window_values as (
    select kpi_values.*
    from kpi_values
    cross join last_month
    where
        kpi_values.period_grain = 'month'
        and kpi_values.persona = 'all'
        and kpi_values.period_start
        > {{ dbt.dateadd('month', -12, 'last_month.month_start_date') }}
),

per_channel as (
    select
        channel,
        sum(case when kpi_name = 'customer_acquisition_cost' then numerator end) as spend,
        sum(case when kpi_name = 'customer_acquisition_cost' then denominator end)
            as new_customers,
        avg(case when kpi_name = 'customer_lifetime_value_predicted' then value end)
            as avg_predicted_clv
    from window_values
    group by channel
),

final as (
    select
        channel,
        spend,
        new_customers,
        {{ safe_divide('spend', 'new_customers') }} as customer_acquisition_cost,
        avg_predicted_clv,
        {{ safe_divide('avg_predicted_clv', safe_divide('spend', 'new_customers')) }}
            as ltv_to_cac_ratio
    from per_channel
)

select * from final
order by ltv_to_cac_ratio desc nulls last

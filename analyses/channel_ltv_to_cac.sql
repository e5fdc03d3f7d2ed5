-- Which channel brings the customers with the best LTV:CAC?
-- CAC per acquisition channel over the whole history, rolled up the one correct way for a
-- ratio: sum of the monthly numerators (spend) / sum of the monthly denominators (new
-- customers). Months with spend and no new customer keep their CAC row (denominator 0), so
-- no spend is lost. Predicted CLV is a prediction (non-additive): it is read at its own grain,
-- the channel's latest month (computed from trailing-12-month inputs), never averaged or
-- summed over months. Customers with no session are their own channel, `unattributed`
-- (sales-led deals): no spend, so no CAC and no ratio.
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
),

acquisition_cost as (
    select
        channel,
        sum(numerator) as spend,
        sum(denominator) as new_customers
    from monthly
    where kpi_name = 'customer_acquisition_cost'
    group by channel
),

predicted_clv_months as (
    select
        channel,
        period_start,
        value as predicted_clv,
        row_number() over (partition by channel order by period_start desc) as month_recency
    from monthly
    where
        kpi_name = 'customer_lifetime_value_predicted'
        and value is not null
),

latest_predicted_clv as (
    select
        channel,
        period_start as clv_month_start_date,
        predicted_clv
    from predicted_clv_months
    where month_recency = 1
),

final as (
    select
        acquisition_cost.channel,
        acquisition_cost.spend,
        acquisition_cost.new_customers,
        {{ safe_divide('acquisition_cost.spend', 'acquisition_cost.new_customers') }}
            as customer_acquisition_cost,
        latest_predicted_clv.clv_month_start_date,
        latest_predicted_clv.predicted_clv,
        {{ safe_divide(
            'latest_predicted_clv.predicted_clv',
            safe_divide('acquisition_cost.spend', 'acquisition_cost.new_customers')
        ) }} as ltv_to_cac_ratio
    from acquisition_cost
    left join latest_predicted_clv
        on acquisition_cost.channel = latest_predicted_clv.channel
)

select * from final
order by ltv_to_cac_ratio desc nulls last

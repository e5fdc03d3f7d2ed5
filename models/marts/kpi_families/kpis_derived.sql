-- KPIs whose parts come from two different facts, derived from the long rows of the KPI
-- models that compute each part (so neither part is computed twice): ltv_to_cac_ratio.
with

customer_value_kpis as (
    select * from {{ ref('kpis_customer_value_predicted') }}
),

spend_kpis as (
    select * from {{ ref('kpis_spend') }}
),

predicted_clv as (
    select
        period_grain,
        period_start,
        channel,
        value as customer_lifetime_value
    from customer_value_kpis
    where
        kpi_name = 'customer_lifetime_value_predicted'
        and persona = 'all'
),

acquisition_cost as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        value as customer_acquisition_cost
    from spend_kpis
    where kpi_name = 'customer_acquisition_cost'
),

clv_cac as (
    select
        acquisition_cost.period_grain,
        acquisition_cost.period_start,
        acquisition_cost.channel,
        acquisition_cost.persona,
        predicted_clv.customer_lifetime_value,
        acquisition_cost.customer_acquisition_cost
    from acquisition_cost
    inner join predicted_clv
        on
            acquisition_cost.period_grain = predicted_clv.period_grain
            and acquisition_cost.period_start = predicted_clv.period_start
            and acquisition_cost.channel = predicted_clv.channel
    where
        predicted_clv.customer_lifetime_value is not null
        and acquisition_cost.customer_acquisition_cost > 0
),

final as (
    select
        {{ kpi_row(
            'ltv_to_cac_ratio', 'retention', none, kind='value',
            value=safe_divide('customer_lifetime_value', 'customer_acquisition_cost')
        ) }}
    from clv_cac
)

select * from final

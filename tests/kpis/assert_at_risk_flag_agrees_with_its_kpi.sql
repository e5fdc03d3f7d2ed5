-- A churned customer is never flagged at risk (is_churned is their flag), and the at-risk
-- flag of mart_customer_segments counts the same customers as the numerator of
-- at_risk_customer_share (all channels, all personas, each grain's row dated at as_of).
with

segments as (
    select * from {{ ref('mart_customer_segments') }}
),

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

flags as (
    select
        {{ flag_count('is_at_risk') }} as at_risk_customers,
        {{ flag_count('is_at_risk and is_churned') }} as churned_at_risk_customers
    from segments
),

kpi as (
    select
        period_grain,
        numerator as at_risk_customers
    from kpi_values
    where
        kpi_name = 'at_risk_customer_share'
        and channel = 'all'
        and persona = 'all'
)

select
    kpi.period_grain,
    flags.at_risk_customers as flagged_at_risk,
    flags.churned_at_risk_customers,
    kpi.at_risk_customers as kpi_at_risk
from flags
left join kpi
    on 1 = 1
where
    flags.churned_at_risk_customers > 0
    or (kpi.at_risk_customers is not null and kpi.at_risk_customers <> flags.at_risk_customers)

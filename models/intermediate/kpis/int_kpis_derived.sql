-- KPIs whose numerator and denominator come from two different facts, derived from the
-- long rows of the KPI models that compute each part (so neither part is computed twice):
-- visitor_to_lead_rate and ltv_to_cac_ratio.
with

lead_kpis as (
    select * from {{ ref('int_kpis_leads') }}
),

session_kpis as (
    select * from {{ ref('int_kpis_sessions') }}
),

customer_base_kpis as (
    select * from {{ ref('int_kpis_customer_base') }}
),

spend_kpis as (
    select * from {{ ref('int_kpis_spend') }}
),

-- Leads created per slice: the lead cohort is the denominator of lead_to_mql_rate.
leads_created as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        denominator as leads
    from lead_kpis
    where kpi_name = 'lead_to_mql_rate'
),

visitors as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        numerator as unique_visitors
    from session_kpis
    where kpi_name = 'unique_visitors'
),

visitor_leads as (
    select
        visitors.period_grain,
        visitors.period_start,
        visitors.channel,
        visitors.persona,
        coalesce(leads_created.leads, 0) as leads,
        visitors.unique_visitors
    from visitors
    left join leads_created
        on
            visitors.period_grain = leads_created.period_grain
            and visitors.period_start = leads_created.period_start
            and visitors.channel = leads_created.channel
            and visitors.persona = leads_created.persona
    where visitors.unique_visitors > 0
),

predicted_clv as (
    select
        period_grain,
        period_start,
        channel,
        value as customer_lifetime_value
    from customer_base_kpis
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
        {{ kpi_row('visitor_to_lead_rate', 'consideration', 'leads', 'unique_visitors') }}
    from visitor_leads
    union all
    select
        {{ kpi_row(
            'ltv_to_cac_ratio', 'retention', none, kind='value',
            value=safe_divide('customer_lifetime_value', 'customer_acquisition_cost')
        ) }}
    from clv_cac
)

select * from final

-- One row per kpi x journey stage x channel x persona x period grain x period start: every
-- KPI of the catalog, long and tidy. Each KPI is computed once, in the intermediate model of
-- the fact family it reads (models/intermediate/kpis); this model only stacks them.
with

spend_kpis as (
    select * from {{ ref('int_kpis_spend') }}
),

sessions_kpis as (
    select * from {{ ref('int_kpis_sessions') }}
),

events_kpis as (
    select * from {{ ref('int_kpis_events') }}
),

leads_kpis as (
    select * from {{ ref('int_kpis_leads') }}
),

orders_kpis as (
    select * from {{ ref('int_kpis_orders') }}
),

customer_base_kpis as (
    select * from {{ ref('int_kpis_customer_base') }}
),

surveys_kpis as (
    select * from {{ ref('int_kpis_surveys') }}
),

customer_health_kpis as (
    select * from {{ ref('int_kpis_customer_health') }}
),

funnel_kpis as (
    select * from {{ ref('int_kpis_funnel') }}
),

derived_kpis as (
    select * from {{ ref('int_kpis_derived') }}
),

stacked as (
    select
        kpi_name,
        journey_stage,
        channel,
        persona,
        period_grain,
        period_start,
        numerator,
        denominator,
        value
    from spend_kpis
    union all
    select
        kpi_name,
        journey_stage,
        channel,
        persona,
        period_grain,
        period_start,
        numerator,
        denominator,
        value
    from sessions_kpis
    union all
    select
        kpi_name,
        journey_stage,
        channel,
        persona,
        period_grain,
        period_start,
        numerator,
        denominator,
        value
    from events_kpis
    union all
    select
        kpi_name,
        journey_stage,
        channel,
        persona,
        period_grain,
        period_start,
        numerator,
        denominator,
        value
    from leads_kpis
    union all
    select
        kpi_name,
        journey_stage,
        channel,
        persona,
        period_grain,
        period_start,
        numerator,
        denominator,
        value
    from orders_kpis
    union all
    select
        kpi_name,
        journey_stage,
        channel,
        persona,
        period_grain,
        period_start,
        numerator,
        denominator,
        value
    from customer_base_kpis
    union all
    select
        kpi_name,
        journey_stage,
        channel,
        persona,
        period_grain,
        period_start,
        numerator,
        denominator,
        value
    from surveys_kpis
    union all
    select
        kpi_name,
        journey_stage,
        channel,
        persona,
        period_grain,
        period_start,
        numerator,
        denominator,
        value
    from customer_health_kpis
    union all
    select
        kpi_name,
        journey_stage,
        channel,
        persona,
        period_grain,
        period_start,
        numerator,
        denominator,
        value
    from funnel_kpis
    union all
    select
        kpi_name,
        journey_stage,
        channel,
        persona,
        period_grain,
        period_start,
        numerator,
        denominator,
        value
    from derived_kpis
),

final as (
    select
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(journey_stage as {{ dbt.type_string() }}) as journey_stage,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(persona as {{ dbt.type_string() }}) as persona,
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(numerator as {{ journey_kpis.type_double() }}) as numerator,
        cast(denominator as {{ journey_kpis.type_double() }}) as denominator,
        cast(value as {{ journey_kpis.type_double() }}) as value
    from stacked
)

select * from final

-- One row per kpi x journey stage x channel x persona x period grain x period start: every
-- KPI of the catalog, long and tidy. Each KPI is computed once, in the intermediate model of
-- the fact family it reads (models/intermediate/kpis); this model only stacks them.
{%- set kpi_models = [
    'int_kpis_spend',
    'int_kpis_sessions',
    'int_kpis_events',
    'int_kpis_leads',
    'int_kpis_orders',
    'int_kpis_customer_base',
    'int_kpis_surveys',
    'int_kpis_customer_health',
    'int_kpis_funnel',
    'int_kpis_derived',
] %}

with

{% for kpi_model in kpi_models %}
    {{ kpi_model }} as (
        select * from {{ ref(kpi_model) }}
    ),
{% endfor %}

stacked as (
    {% for kpi_model in kpi_models -%}
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
        from {{ kpi_model }}
        {% if not loop.last -%}
            union all
        {% endif -%}
    {% endfor %}
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

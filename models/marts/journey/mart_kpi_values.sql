-- One row per kpi x journey stage x channel x persona x period grain x period start: every
-- KPI of the catalog, long and tidy. Each KPI is computed once, in the KPI family model of
-- the fact family it reads (models/marts/kpi_families); this model only stacks them, leaving
-- out the KPIs of which a raw table they need (seed kpi_definitions.source_tables) is empty:
-- their formula would give artefacts of the missing export (e.g. ROAS 0 without orders).
-- Each row also carries how its KPI aggregates and its unit (seed kpi_definitions), so a BI
-- tool knows without a join which KPIs sum, which re-divide and which must not be rolled up.
{%- set kpi_models = [
    'kpis_spend',
    'kpis_sessions',
    'kpis_content',
    'kpis_product',
    'kpis_leads',
    'kpis_orders',
    'kpis_customer_value',
    'kpis_conversion_time',
    'kpis_customer_base',
    'kpis_customer_value_predicted',
    'kpis_surveys',
    'kpis_customer_health',
    'kpis_funnel',
    'kpis_derived',
] %}

with

{% for kpi_model in kpi_models %}
    {{ kpi_model }} as (
        select * from {{ ref(kpi_model) }}
    ),
{% endfor %}

definitions as (
    select * from {{ ref('kpi_definitions') }}
),

kpi_inputs as (
    select * from {{ ref('int_kpi_inputs_checked') }}
),

kpis_with_empty_source as (
    select distinct kpi_name
    from kpi_inputs
    where
        input_kind = 'source_table'
        and not is_available
),

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
        cast(stacked.kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(stacked.journey_stage as {{ dbt.type_string() }}) as journey_stage,
        cast(stacked.channel as {{ dbt.type_string() }}) as channel,
        cast(stacked.persona as {{ dbt.type_string() }}) as persona,
        cast(stacked.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(stacked.period_start as date) as period_start,
        cast(stacked.numerator as {{ journey_kpis.type_double() }}) as numerator,
        cast(stacked.denominator as {{ journey_kpis.type_double() }}) as denominator,
        cast(stacked.value as {{ journey_kpis.type_double() }}) as value,
        cast(definitions.aggregation as {{ dbt.type_string() }}) as aggregation,
        cast(definitions.unit as {{ dbt.type_string() }}) as unit
    from stacked
    left join definitions
        on stacked.kpi_name = definitions.kpi_name
    left join kpis_with_empty_source
        on stacked.kpi_name = kpis_with_empty_source.kpi_name
    where kpis_with_empty_source.kpi_name is null
)

select * from final

-- The one list of KPIs (macro kpi_catalog()) and everything else that names KPIs agree, so
-- that adding or moving a KPI cannot leave one place behind. One row per disagreement:
-- - seed kpi_definitions has the same KPIs with the same home stages, and a sampled survey
--   KPI of the macro (sample_size_column) has sample_unit `responses` in the seed;
-- - the seed's aggregation kind matches how the KPI is stored (ratio as ratio, additive as
--   total; a median or prediction, stored as value, is non_additive);
-- - kpi_targets' direction agrees with higher_is_better;
-- - mart_kpi_values holds each KPI in its home stage (funnel_dropoff_rate: per step);
-- - at compile time: the columns of each wide stage mart's YAML are exactly channel,
--   persona, month_start_date and kpi_stage_mart_columns(stage), in that order, and every
--   accepted_values test on a kpi_name column lists catalog KPIs only.
{%- set catalog = journey_kpis.kpi_catalog() %}
{%- set compile_time_problems = [] %}
{%- if execute %}
    {%- set stages = [
        'awareness', 'consideration', 'conversion', 'onboarding', 'retention', 'advocacy'
    ] %}
    {%- for stage in stages %}
        {%- set expected = ['channel', 'persona', 'month_start_date']
            + journey_kpis.kpi_stage_mart_columns(stage) %}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.name == 'mart_' ~ stage %}
            {%- set documented = node.columns.keys() | list %}
            {%- if documented != expected %}
                {%- do compile_time_problems.append(
                    "mart_" ~ stage ~ " YAML columns differ from kpi_catalog(): missing "
                    ~ (expected | reject('in', documented) | join(' ')) ~ "; extra "
                    ~ (documented | reject('in', expected) | join(' '))
                    ~ (" (or out of order)" if expected | sort == documented | sort else "")
                ) %}
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
    {%- set catalog_names = catalog | map(attribute='kpi_name') | list %}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'test'
        and node.get('test_metadata')
        and node.test_metadata.get('name') == 'accepted_values'
        and node.get('column_name') == 'kpi_name' %}
        {%- set kwargs = node.test_metadata.get('kwargs', {}) %}
        {%- set listed = kwargs.get('values')
            or (kwargs.get('arguments') or {}).get('values') or [] %}
        {%- for value in listed if value not in catalog_names %}
            {%- do compile_time_problems.append(
                node.name ~ " accepts kpi_name " ~ value ~ ", which kpi_catalog() lacks"
            ) %}
        {%- endfor %}
    {%- endfor %}
{%- endif %}

with

definitions as (
    select * from {{ ref('kpi_definitions') }}
),

targets as (
    select * from {{ ref('kpi_targets') }}
),

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

catalog as (
    {% for kpi in catalog -%}
        select
            '{{ kpi.kpi_name }}' as kpi_name,
            '{{ kpi.journey_stage }}' as journey_stage,
            {{ 'true' if kpi.sample_size_column else 'false' }} as has_sample_size_column
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

catalog_vs_seed as (
    select
        coalesce(catalog.kpi_name, definitions.kpi_name) as kpi_name,
        case
            when definitions.kpi_name is null then 'in kpi_catalog() but not in the seed'
            when catalog.kpi_name is null then 'in the seed but not in kpi_catalog()'
            when catalog.journey_stage <> definitions.journey_stage
                then 'home stage differs between kpi_catalog() and the seed'
            when
                catalog.has_sample_size_column
                <> coalesce(definitions.sample_unit = 'responses', false)
                then 'kpi_catalog() sample-size column vs seed sample_unit responses'
        end as problem
    from catalog
    full outer join definitions
        on catalog.kpi_name = definitions.kpi_name
),

storage_vs_aggregation as (
    select
        kpi_name,
        {{ dbt.concat([
            "'aggregation '", 'aggregation', "' does not fit stored_as '", 'stored_as'
        ]) }} as problem
    from definitions
    where not (
        (aggregation = 'ratio' and stored_as = 'ratio')
        or (aggregation = 'additive' and stored_as = 'total')
        or (aggregation = 'non_additive' and stored_as in ('ratio', 'total', 'value'))
    )
    or (stored_as = 'value' and aggregation <> 'non_additive')
),

target_directions as (
    select
        targets.kpi_name,
        {{ dbt.concat([
            "'kpi_targets direction '", 'targets.direction', "' contradicts higher_is_better'"
        ]) }} as problem
    from targets
    inner join definitions
        on targets.kpi_name = definitions.kpi_name
    where
        definitions.higher_is_better is null
        or (targets.direction = 'higher') <> definitions.higher_is_better
),

value_stages as (
    select distinct
        kpi_values.kpi_name,
        {{ dbt.concat([
            "'mart_kpi_values holds it in stage '", 'kpi_values.journey_stage',
            "', not its home stage '", 'definitions.journey_stage'
        ]) }} as problem
    from kpi_values
    inner join definitions
        on kpi_values.kpi_name = definitions.kpi_name
    where
        definitions.journey_stage <> 'all'
        and kpi_values.journey_stage <> definitions.journey_stage
),

compile_time as (
    {% for problem in compile_time_problems -%}
        select
            cast(null as {{ dbt.type_string() }}) as kpi_name,
            '{{ problem | replace("'", "''") }}' as problem
        union all
    {% endfor -%}
    select
        cast(null as {{ dbt.type_string() }}) as kpi_name,
        cast(null as {{ dbt.type_string() }}) as problem
),

problems as (
    {% for part in ['catalog_vs_seed', 'storage_vs_aggregation', 'target_directions',
        'value_stages', 'compile_time'] -%}
        select
            kpi_name,
            problem
        from {{ part }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select *
from problems
where problem is not null

-- One row per catalog KPI (seed kpi_definitions): whether mart_kpi_values has values for it
-- (a monthly value for channel `all` and persona `all`) and, when not, why: a raw table it
-- needs is empty (source_empty), the tables are there but not the kind of rows it needs
-- (records_missing), or nothing in the data explains it (unexplained: a defect, which the
-- error-severity test assert_every_catalog_kpi_has_values reports).
-- Lists are ordered by the bytes of the names on every engine (binary_collation).
{%- set input_order = 'order by ' ~ binary_collation('input_name') %}

with

definitions as (
    select * from {{ ref('kpi_definitions') }}
),

kpi_inputs as (
    select * from {{ ref('int_kpi_inputs_checked') }}
),

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

reported_kpis as (
    select distinct kpi_name
    from kpi_values
    where
        period_grain = 'month'
        and channel = 'all'
        and persona = 'all'
        and value is not null
),

empty_sources as (
    select
        kpi_name,
        {{ dbt.listagg('input_name', "', '", input_order) }} as empty_source_tables
    from kpi_inputs
    where
        input_kind = 'source_table'
        and not is_available
    group by 1
),

missing_records as (
    select
        kpi_name,
        {{ dbt.listagg('input_name', "', '", input_order) }} as missing_records
    from kpi_inputs
    where
        input_kind = 'records'
        and not is_available
    group by 1
),

final as (
    select
        cast(definitions.kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(definitions.journey_stage as {{ dbt.type_string() }}) as journey_stage,
        cast(definitions.source_tables as {{ dbt.type_string() }}) as source_tables,
        cast(definitions.required_records as {{ dbt.type_string() }}) as required_records,
        cast(
            case
                when reported_kpis.kpi_name is not null then 'reported'
                when empty_sources.kpi_name is not null then 'source_empty'
                when missing_records.kpi_name is not null then 'records_missing'
                else 'unexplained'
            end as {{ dbt.type_string() }}
        ) as coverage_status,
        cast(empty_sources.empty_source_tables as {{ dbt.type_string() }})
            as empty_source_tables,
        cast(missing_records.missing_records as {{ dbt.type_string() }}) as missing_records,
        reported_kpis.kpi_name is not null as has_values
    from definitions
    left join reported_kpis
        on definitions.kpi_name = reported_kpis.kpi_name
    left join empty_sources
        on definitions.kpi_name = empty_sources.kpi_name
    left join missing_records
        on definitions.kpi_name = missing_records.kpi_name
)

select * from final

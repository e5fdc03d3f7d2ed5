-- Every KPI of seed kpi_definitions whose inputs are all in the data (every raw table of its
-- source_tables has clean rows, and so has every kind of row of its required_records) has at
-- least one monthly value in mart_kpi_values for channel `all` and persona `all`. A KPI that
-- its data cannot have (an empty export, a shop without video events) is left to the
-- warn-severity test warn_kpis_missing_for_lack_of_data; one missing while its data is
-- there is a defect, and fails here.
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

monthly_totals as (
    select distinct kpi_name
    from kpi_values
    where
        period_grain = 'month'
        and channel = 'all'
        and persona = 'all'
        and value is not null
),

kpis_lacking_data as (
    select distinct kpi_name
    from kpi_inputs
    where not is_available
)

select definitions.kpi_name
from definitions
left join monthly_totals
    on definitions.kpi_name = monthly_totals.kpi_name
left join kpis_lacking_data
    on definitions.kpi_name = kpis_lacking_data.kpi_name
where
    monthly_totals.kpi_name is null
    and kpis_lacking_data.kpi_name is null

-- Every KPI of seed kpi_definitions has at least one monthly value in mart_kpi_values for
-- channel `all` and persona `all` (the catalog's KPIs all exist for the demo data).
with

definitions as (
    select * from {{ ref('kpi_definitions') }}
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
)

select definitions.kpi_name
from definitions
left join monthly_totals
    on definitions.kpi_name = monthly_totals.kpi_name
where monthly_totals.kpi_name is null

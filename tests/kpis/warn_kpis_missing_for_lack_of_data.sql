{{ config(severity='warn', store_failures=true) }}
-- Warns about every catalog KPI without values because the data cannot have it: a raw table
-- it needs is empty (empty_source_tables) or holds none of the rows it needs
-- (missing_records), per mart_kpi_coverage. A partial export builds, and this names what it
-- cannot report and why. The rows are stored (store_failures) and, during a build, also
-- written to the run log, one line per KPI.
{%- if execute %}
    {%- set coverage = load_relation(ref('mart_kpi_coverage')) %}
    {%- if coverage is not none %}
        {%- set missing = run_query(
            "select kpi_name, coverage_status, empty_source_tables, missing_records from "
            ~ coverage ~ " where coverage_status in ('source_empty', 'records_missing')"
            ~ " order by kpi_name"
        ) %}
        {%- for row in missing.rows %}
            {%- do log(
                "KPI without values: " ~ row[0] ~ " (" ~ row[1] ~ "; empty source tables: "
                ~ (row[2] or '-') ~ "; missing records: " ~ (row[3] or '-') ~ ")",
                info=true
            ) %}
        {%- endfor %}
    {%- endif %}
{%- endif %}

with

coverage as (
    select * from {{ ref('mart_kpi_coverage') }}
)

select
    kpi_name,
    coverage_status,
    empty_source_tables,
    missing_records
from coverage
where coverage_status in ('source_empty', 'records_missing')

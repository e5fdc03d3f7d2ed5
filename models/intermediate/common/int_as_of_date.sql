{#- The date the data is "as of": var as_of_date when set, else the latest date seen in
    events, orders, survey answers or spend; when those four are all empty, the latest lead;
    with no data at all, the build date in UTC (so that the calendar and the as-of date exist). -#}
{%- set as_of_var = var('as_of_date', '') -%}
{%- if as_of_var -%}
    {%- set as_of_expression = "cast('" ~ as_of_var ~ "' as date)" -%}
{%- else -%}
    {%- set as_of_expression = 'coalesce(latest_activity_date, latest_lead_date, '
        ~ 'cast(' ~ utc_now() ~ ' as date))' -%}
{%- endif -%}

with

source_records as (
    select * from {{ ref('int_source_records_summarized') }}
),

table_dates as (
    select
        source_table,
        latest_date
    from source_records
    where record_type = 'all'
),

latest_dates as (
    select
        max(
            case when source_table <> 'leads' then latest_date end
        ) as latest_activity_date,
        max(case when source_table = 'leads' then latest_date end) as latest_lead_date
    from table_dates
),

final as (
    select
        {{ as_of_expression }} as as_of_date,
        latest_activity_date as latest_data_date,
        {{ 'true' if as_of_var else 'false' }} as is_set_by_var
    from latest_dates
)

select * from final

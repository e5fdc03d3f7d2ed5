-- One row per catalog KPI x input it needs (seed kpi_definitions): each raw table of
-- source_tables, and each kind of row of required_records (`<table>.<record type>`), with the
-- rows the data has of it: clean rows of int_source_records_summarized, plus a few conditions
-- that only the journey model can tell (customers churned, visitors acquired by referral,
-- months elapsed since the first completed order). mart_kpi_values drops the KPIs with an
-- empty source table; mart_kpi_coverage says why a KPI has no values.
{%- set max_inputs = 5 %}

with

definitions as (
    select * from {{ ref('kpi_definitions') }}
),

source_records as (
    select * from {{ ref('int_source_records_summarized') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customers as (
    select * from {{ ref('int_customers_churned') }}
),

people as (
    select * from {{ ref('int_people_activity') }}
),

-- Conditions as record types: orders.churned_customer (customers churned by the as-of date:
-- predicted lifetime value needs a churn rate), events.referral_visitor (people whose first
-- session came by referral), orders.cohort_month_1 / cohort_month_3 (the as-of date lies at
-- least 1 / 3 months after the month of the first completed order: cohort month N started),
-- orders.twelve_months (the as-of date lies at least 12 months after the first completed
-- order: the predicted lifetime value needs a whole trailing-12-month window).
conditions as (
    select
        'orders' as source_table,
        'churned_customer' as record_type,
        {{ flag_count('is_churned') }} as clean_rows
    from customers
    union all
    select
        'events' as source_table,
        'referral_visitor' as record_type,
        {{ flag_count("acquisition_channel = 'referral'") }} as clean_rows
    from people
    {%- for months in [1, 3] %}
        union all
        select
            'orders' as source_table,
            'cohort_month_{{ months }}' as record_type,
            {{ flag_count(
                dbt.dateadd('month', months, dbt.date_trunc('month', 'source_records.first_date'))
                ~ ' <= as_of.as_of_date'
            ) }} as clean_rows
        from source_records
        cross join as_of
        where
            source_records.source_table = 'orders'
            and source_records.record_type = 'completed'
    {%- endfor %}
    union all
    select
        'orders' as source_table,
        'twelve_months' as record_type,
        {{ flag_count(
            'cast(' ~ dbt.dateadd('month', -12, 'as_of.as_of_date') ~ ' as date)'
            ~ ' >= source_records.first_date'
        ) }} as clean_rows
    from source_records
    cross join as_of
    where
        source_records.source_table = 'orders'
        and source_records.record_type = 'completed'
),

available_records as (
    select
        source_table,
        record_type,
        clean_rows
    from source_records
    union all
    select
        source_table,
        record_type,
        clean_rows
    from conditions
    where clean_rows > 0
),

-- The `|`-separated lists, one row per item (at most max_inputs items per list).
listed_inputs as (
    {%- for position in range(1, max_inputs + 1) %}
        select
            kpi_name,
            'source_table' as input_kind,
            {{ dbt.split_part('source_tables', "'|'", position) }} as input_name
        from definitions
        union all
        select
            kpi_name,
            'records' as input_kind,
            {{ dbt.split_part('required_records', "'|'", position) }} as input_name
        from definitions
        {{- ' union all' if not loop.last }}
    {%- endfor %}
),

inputs as (
    select distinct
        kpi_name,
        input_kind,
        trim(input_name) as input_name
    from listed_inputs
    where
        input_name is not null
        and trim(input_name) <> ''
),

input_records as (
    select
        kpi_name,
        input_kind,
        input_name,
        case
            when input_kind = 'source_table' then input_name
            else {{ dbt.split_part('input_name', "'.'", 1) }}
        end as source_table,
        case
            when input_kind = 'source_table' then 'all'
            else {{ dbt.split_part('input_name', "'.'", 2) }}
        end as record_type
    from inputs
),

final as (
    select
        cast(input_records.kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(input_records.input_kind as {{ dbt.type_string() }}) as input_kind,
        cast(input_records.input_name as {{ dbt.type_string() }}) as input_name,
        cast(input_records.source_table as {{ dbt.type_string() }}) as source_table,
        cast(input_records.record_type as {{ dbt.type_string() }}) as record_type,
        cast(coalesce(available_records.clean_rows, 0) as {{ dbt.type_bigint() }}) as clean_rows,
        coalesce(available_records.clean_rows, 0) > 0 as is_available
    from input_records
    left join available_records
        on
            input_records.source_table = available_records.source_table
            and input_records.record_type = available_records.record_type
)

select * from final

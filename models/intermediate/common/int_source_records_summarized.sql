-- One row per raw source table x record type that has clean rows: how many clean rows, and
-- their first and latest date. Record type `all` is every clean row of the table; the others
-- are the kinds of rows some KPIs need (event types, page views with an engagement time,
-- order statuses, survey types, search spend, lead stages). Each clean staging model is
-- scanned once, grouped by a low-cardinality column. dim_date (the calendar), int_as_of_date
-- and int_kpi_inputs_checked read it; an empty table has no row at all.
with

events as (
    select * from {{ ref('stg_tracking__events') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

orders as (
    select * from {{ ref('stg_commerce__orders') }}
),

survey_responses as (
    select * from {{ ref('stg_surveys__responses') }}
),

marketing_spend as (
    select * from {{ ref('stg_ads__marketing_spend') }}
),

event_types as (
    select
        event_type as record_type,
        count(*) as clean_rows,
        count(case when event_type = 'page_view' then engagement_time_s end) as timed_page_views,
        cast(min(occurred_at) as date) as first_date,
        cast(max(occurred_at) as date) as latest_date
    from events
    group by 1
),

order_statuses as (
    select
        status as record_type,
        count(*) as clean_rows,
        cast(min(ordered_at) as date) as first_date,
        cast(max(ordered_at) as date) as latest_date
    from orders
    group by 1
),

survey_types as (
    select
        survey_type as record_type,
        count(*) as clean_rows,
        cast(min(submitted_at) as date) as first_date,
        cast(max(submitted_at) as date) as latest_date
    from survey_responses
    group by 1
),

-- Spend rows of a search channel, and rows with a search position, besides the others.
spend_kinds as (
    select
        coalesce(channel in ('paid_search', 'organic_search'), false) as is_search,
        avg_position is not null as has_position,
        count(*) as clean_rows,
        min(spend_date) as first_date,
        max(spend_date) as latest_date
    from marketing_spend
    group by 1, 2
),

-- Lead stages overlap (a won lead was an SQL), so they are counted side by side in one scan.
lead_stages as (
    select
        count(*) as lead_rows,
        count(mql_at) as mql_rows,
        count(sql_at) as sql_rows,
        {{ flag_count('won_at is not null and deal_amount is not null') }} as won_deal_rows,
        cast(min(created_at) as date) as first_date,
        cast(max(created_at) as date) as latest_date
    from leads
),

typed_records as (
    select
        'events' as source_table,
        record_type,
        clean_rows,
        first_date,
        latest_date
    from event_types
    union all
    select
        'orders' as source_table,
        record_type,
        clean_rows,
        first_date,
        latest_date
    from order_statuses
    union all
    select
        'survey_responses' as source_table,
        record_type,
        clean_rows,
        first_date,
        latest_date
    from survey_types
    union all
    select
        'marketing_spend' as source_table,
        'search' as record_type,
        sum(clean_rows) as clean_rows,
        min(first_date) as first_date,
        max(latest_date) as latest_date
    from spend_kinds
    where is_search
    having count(*) > 0
    union all
    select
        'marketing_spend' as source_table,
        'search_position' as record_type,
        sum(clean_rows) as clean_rows,
        min(first_date) as first_date,
        max(latest_date) as latest_date
    from spend_kinds
    where has_position
    having count(*) > 0
),

-- Record type `all` of the tables whose record types partition their rows.
table_totals as (
    select
        source_table,
        'all' as record_type,
        sum(clean_rows) as clean_rows,
        min(first_date) as first_date,
        max(latest_date) as latest_date
    from typed_records
    where source_table in ('events', 'orders', 'survey_responses')
    group by 1
    union all
    select
        'marketing_spend' as source_table,
        'all' as record_type,
        sum(clean_rows) as clean_rows,
        min(first_date) as first_date,
        max(latest_date) as latest_date
    from spend_kinds
    having count(*) > 0
),

lead_records as (
    select
        'leads' as source_table,
        'all' as record_type,
        lead_rows as clean_rows,
        first_date,
        latest_date
    from lead_stages
    where lead_rows > 0
    union all
    select
        'leads' as source_table,
        'mql' as record_type,
        mql_rows as clean_rows,
        first_date,
        latest_date
    from lead_stages
    where mql_rows > 0
    union all
    select
        'leads' as source_table,
        'sql' as record_type,
        sql_rows as clean_rows,
        first_date,
        latest_date
    from lead_stages
    where sql_rows > 0
    union all
    select
        'leads' as source_table,
        'won_deal' as record_type,
        won_deal_rows as clean_rows,
        first_date,
        latest_date
    from lead_stages
    where won_deal_rows > 0
),

-- Page views that carry their engagement time (avg_time_on_page_s needs them).
timed_page_views as (
    select
        'events' as source_table,
        'timed_page_view' as record_type,
        timed_page_views as clean_rows,
        first_date,
        latest_date
    from event_types
    where timed_page_views > 0
),

unioned as (
    select * from typed_records
    union all
    select * from timed_page_views
    union all
    select * from table_totals
    union all
    select * from lead_records
),

final as (
    select
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(record_type as {{ dbt.type_string() }}) as record_type,
        cast(clean_rows as {{ dbt.type_bigint() }}) as clean_rows,
        first_date,
        latest_date
    from unioned
)

select * from final

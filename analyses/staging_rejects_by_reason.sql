-- Data quality: how many raw rows each source rejected, and why, with each reason's share of
-- the source's rows. Compile with `dbt compile --select staging_rejects_by_reason` and run
-- the SQL in target/compiled/.

with

events_rejects as (
    select * from {{ ref('stg_tracking__events_rejects') }}
),

leads_rejects as (
    select * from {{ ref('stg_crm__leads_rejects') }}
),

orders_rejects as (
    select * from {{ ref('stg_commerce__orders_rejects') }}
),

responses_rejects as (
    select * from {{ ref('stg_surveys__responses_rejects') }}
),

spend_rejects as (
    select * from {{ ref('stg_ads__marketing_spend_rejects') }}
),

events as (
    select count(*) as clean_rows from {{ ref('stg_tracking__events') }}
),

leads as (
    select count(*) as clean_rows from {{ ref('stg_crm__leads') }}
),

orders as (
    select count(*) as clean_rows from {{ ref('stg_commerce__orders') }}
),

responses as (
    select count(*) as clean_rows from {{ ref('stg_surveys__responses') }}
),

spend as (
    select count(*) as clean_rows from {{ ref('stg_ads__marketing_spend') }}
),

rejects as (
    select
        'tracking.events' as source_table,
        reject_reason
    from events_rejects
    union all
    select
        'crm.leads' as source_table,
        reject_reason
    from leads_rejects
    union all
    select
        'commerce.orders' as source_table,
        reject_reason
    from orders_rejects
    union all
    select
        'surveys.survey_responses' as source_table,
        reject_reason
    from responses_rejects
    union all
    select
        'ads.marketing_spend' as source_table,
        reject_reason
    from spend_rejects
),

clean_counts as (
    select
        'tracking.events' as source_table,
        clean_rows
    from events
    union all
    select
        'crm.leads' as source_table,
        clean_rows
    from leads
    union all
    select
        'commerce.orders' as source_table,
        clean_rows
    from orders
    union all
    select
        'surveys.survey_responses' as source_table,
        clean_rows
    from responses
    union all
    select
        'ads.marketing_spend' as source_table,
        clean_rows
    from spend
),

reason_counts as (
    select
        source_table,
        reject_reason,
        count(*) as rejected_rows
    from rejects
    group by source_table, reject_reason
),

source_totals as (
    select
        clean_counts.source_table,
        clean_counts.clean_rows + coalesce(sum(reason_counts.rejected_rows), 0) as raw_rows
    from clean_counts
    left join reason_counts
        on clean_counts.source_table = reason_counts.source_table
    group by clean_counts.source_table, clean_counts.clean_rows
),

final as (
    select
        reason_counts.source_table,
        reason_counts.reject_reason,
        reason_counts.rejected_rows,
        source_totals.raw_rows,
        reason_counts.rejected_rows * 1.0 / source_totals.raw_rows as share_of_raw_rows
    from reason_counts
    inner join source_totals
        on reason_counts.source_table = source_totals.source_table
)

select * from final
order by source_table asc, rejected_rows desc

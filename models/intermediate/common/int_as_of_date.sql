{#- The date the data is "as of": var as_of_date when set, else the latest date seen in
    events, orders, survey answers or spend. -#}
{%- set as_of_var = var('as_of_date', '') -%}
{%- if as_of_var -%}
    {%- set as_of_expression = "cast('" ~ as_of_var ~ "' as date)" -%}
{%- else -%}
    {%- set as_of_expression = 'max(latest_date)' -%}
{%- endif -%}

with

events as (
    select * from {{ ref('stg_tracking__events') }}
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

latest_dates as (
    select cast(max(occurred_at) as date) as latest_date from events
    union all
    select cast(max(ordered_at) as date) as latest_date from orders
    union all
    select cast(max(submitted_at) as date) as latest_date from survey_responses
    union all
    select max(spend_date) as latest_date from marketing_spend
),

final as (
    select
        {{ as_of_expression }} as as_of_date,
        max(latest_date) as latest_data_date,
        {{ 'true' if as_of_var else 'false' }} as is_set_by_var
    from latest_dates
)

select * from final

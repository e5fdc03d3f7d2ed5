{#- A table, not a view: every raw row is parsed and checked once per build, and the clean
    and rejects views on top are cheap filters (measured: README, "Build time"). -#}
{{ config(materialized=var('staging_base_materialization', 'table')) }}
{{ demo_seed_dependency('orders') }}

with

source as (
    select * from {{ source('commerce', 'orders') }}
),

conformed as (
    -- every column of the raw contract; an optional one the table lacks is null
    select {{ contract_columns('commerce', 'orders') }}
    from source
),

cleaned as (
    select
        -- ids
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('customer_id') }} as customer_id,

        -- strings
        {{ clean_code('order_channel') }} as order_channel,
        {{ clean_code('status') }} as status,
        upper({{ clean_text('currency') }}) as currency,

        -- numerics and booleans, as text
        {{ clean_text('amount') }} as amount_text,
        {{ clean_text('cost') }} as cost_text,
        {{ clean_text('items') }} as items_text,
        {{ clean_text('is_trial_conversion') }} as is_trial_conversion_text,

        -- timestamps, as text
        {{ clean_text('ordered_at') }} as ordered_at_text,
        {{ clean_text('_loaded_at') }} as loaded_at_text
    from conformed
),

parsed as (
    select
        *,
        {{ parse_number('amount_text') }} as amount,
        {{ parse_number('cost_text') }} as cost,
        {{ parse_integer('items_text') }} as item_count,
        {{ parse_boolean('is_trial_conversion_text') }} as is_trial_conversion,
        {{ parse_timestamp('ordered_at_text') }} as ordered_at,
        {{ parse_timestamp('loaded_at_text') }} as loaded_at
    from cleaned
),

ranked as (
    select
        *,
        {{ load_rank(['order_id'], [
            'customer_id', 'order_channel', 'status', 'currency', 'amount_text',
            'cost_text', 'items_text', 'is_trial_conversion_text', 'ordered_at_text'
        ]) }} as load_rank
    from parsed
),

checked as (
    select
        *,
        case
            when order_id is null then 'missing_order_id'
            when load_rank > 1 then 'duplicate'
            when customer_id is null then 'missing_customer_id'
            when ordered_at_text is null then 'missing_ordered_at'
            when ordered_at is null then 'malformed_ordered_at'
            when ordered_at > {{ future_cutoff() }} then 'future_ordered_at'
            when ordered_at < {{ past_cutoff() }} then 'implausible_past'
            when status is null or status not in {{ sql_list(order_statuses()) }}
                then 'unknown_status'
            when
                order_channel is null
                or order_channel not in {{ sql_list(order_channels()) }}
                then 'unknown_order_channel'
            when amount is null then 'malformed_amount'
            when amount < 0 then 'negative_amount'
            when {{ is_malformed('cost_text', 'cost') }} then 'malformed_cost'
            when cost < 0 then 'negative_cost'
            when items_text is not null and (item_count is null or item_count < 1)
                then 'invalid_items'
            when {{ is_malformed('is_trial_conversion_text', 'is_trial_conversion') }}
                then 'malformed_is_trial_conversion'
        end as reject_reason
    from ranked
)

select * from checked

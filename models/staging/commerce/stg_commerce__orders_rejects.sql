with

checked as (
    select * from {{ ref('base_commerce__orders_checked') }}
),

unreadable_lines as (
    -- lines of the raw file that could not be read (macros/raw_contract.sql)
    {{ unreadable_lines('commerce', 'orders') }}
),

rejected_rows as (
    select
        -- ids
        order_id,
        customer_id,

        -- why
        reject_reason,

        -- raw values (trimmed text)
        order_channel,
        status,
        currency,
        amount_text as amount,
        cost_text as cost,
        items_text as items,
        is_trial_conversion_text as is_trial_conversion,
        ordered_at_text as ordered_at,
        loaded_at_text as loaded_at,

        -- where (unreadable lines only)
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as source_line_number,
        cast(null as {{ dbt.type_string() }}) as raw_line,
        cast(null as {{ dbt.type_string() }}) as read_error
    from checked
    where reject_reason is not null
),

unreadable_rows as (
    select
        -- ids (the line could not be split into values)
        cast(null as {{ dbt.type_string() }}) as order_id,
        cast(null as {{ dbt.type_string() }}) as customer_id,

        -- why
        'unreadable_line' as reject_reason,

        -- raw values
        cast(null as {{ dbt.type_string() }}) as order_channel,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(null as {{ dbt.type_string() }}) as amount,
        cast(null as {{ dbt.type_string() }}) as cost,
        cast(null as {{ dbt.type_string() }}) as items,
        cast(null as {{ dbt.type_string() }}) as is_trial_conversion,
        cast(null as {{ dbt.type_string() }}) as ordered_at,
        cast(null as {{ dbt.type_string() }}) as loaded_at,

        -- where
        source_file,
        source_line_number,
        raw_line,
        read_error
    from unreadable_lines
),

final as (
    select * from rejected_rows
    union all
    select * from unreadable_rows
)

select * from final

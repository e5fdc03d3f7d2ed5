with

checked as (
    select * from {{ ref('base_commerce__orders_checked') }}
),

final as (
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
        loaded_at_text as loaded_at
    from checked
    where reject_reason is not null
)

select * from final

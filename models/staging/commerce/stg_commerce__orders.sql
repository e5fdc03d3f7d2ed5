with

checked as (
    select * from {{ ref('base_commerce__orders_checked') }}
),

final as (
    select
        -- ids
        order_id,
        customer_id,

        -- strings
        order_channel,
        status,
        currency,

        -- numerics
        amount,
        cost,
        amount - coalesce(cost, 0) as gross_margin,
        item_count,

        -- booleans
        coalesce(is_trial_conversion, false) as is_trial_conversion,
        status = 'completed' as is_completed,

        -- timestamps
        ordered_at,
        loaded_at
    from checked
    where reject_reason is null
)

select * from final

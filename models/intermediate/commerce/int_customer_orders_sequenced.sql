with

orders as (
    select * from {{ ref('stg_commerce__orders') }}
),

sequenced as (
    select
        order_id,
        customer_id as person_id,
        order_channel,
        status,
        currency,
        amount,
        cost,
        gross_margin,
        item_count,
        is_completed,
        is_trial_conversion,
        -- row_number() is an int on Spark, a bigint elsewhere: bigint everywhere
        case
            when is_completed
                then cast(row_number() over (
                    partition by customer_id, is_completed
                    order by ordered_at, {{ binary_collation('order_id') }}
                ) as {{ dbt.type_bigint() }})
        end as order_number,
        ordered_at
    from orders
),

final as (
    select
        order_id,
        person_id,
        order_channel,
        status,
        currency,
        amount,
        cost,
        gross_margin,
        item_count,
        is_completed,
        is_trial_conversion,
        order_number,
        coalesce(order_number = 1, false) as is_first_order,
        ordered_at,
        cast(ordered_at as date) as ordered_date
    from sequenced
)

select * from final

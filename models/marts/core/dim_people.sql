-- One row per person: identified users and never-identified visitors, plus people known only
-- to CRM, commerce or surveys.
with

personas as (
    select * from {{ ref('int_people_personas_assigned') }}
),

activity as (
    select * from {{ ref('int_people_activity') }}
),

customers as (
    select * from {{ ref('int_customers_churned') }}
),

conversions as (
    select * from {{ ref('int_people_first_conversions') }}
),

orders as (
    select * from {{ ref('int_customer_orders_sequenced') }}
),

order_totals as (
    select
        person_id,
        sum(amount) as revenue,
        sum(gross_margin) as gross_margin
    from orders
    where is_completed
    group by 1
),

final as (
    select
        -- ids
        personas.person_id,
        personas.lead_id,

        -- strings
        {{ attributed_channel('activity.acquisition_channel') }} as acquisition_channel,
        personas.persona,
        personas.persona_basis,
        personas.job_role,
        personas.company_size,

        -- numerics
        coalesce(activity.sessions, 0) as sessions,
        personas.completed_orders,
        coalesce(order_totals.revenue, 0) as revenue,
        coalesce(order_totals.gross_margin, 0) as gross_margin,
        conversions.touches_to_conversion,
        conversions.days_to_conversion,

        -- booleans
        coalesce(activity.is_identified, personas.person_id not like 'lead:%')
            as is_identified,
        customers.person_id is not null as is_customer,
        coalesce(customers.is_churned, false) as is_churned,

        -- timestamps
        activity.first_seen_at,
        activity.last_seen_at,
        activity.first_active_at,
        activity.last_active_at,
        activity.first_session_at,
        activity.signed_up_at,
        customers.first_order_at,
        customers.last_order_at,
        customers.churned_at
    from personas
    left join activity
        on personas.person_id = activity.person_id
    left join customers
        on personas.person_id = customers.person_id
    left join conversions
        on personas.person_id = conversions.person_id
    left join order_totals
        on personas.person_id = order_totals.person_id
)

select * from final

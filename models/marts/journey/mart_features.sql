-- One row per product feature x month: identified users of the feature, identified active
-- users of the month, feature_adoption_rate (per feature; mart_kpi_values holds the
-- any-feature rate) and uses. Same definitions and formula macro as kpis_product:
-- active users = distinct identified people (dim_people.is_identified) with activity (an
-- activity event, fct_events.is_activity_event, or a completed order).
with

events as (
    select * from {{ ref('fct_events') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

event_rows as (
    select
        events.event_type,
        events.feature_name,
        dates.month_start_date,
        case when people.is_identified then events.person_id end as user_id,
        case
            when people.is_identified and events.is_activity_event then events.person_id
        end as active_user_id
    from events
    inner join dates
        on events.event_date = dates.date_day
    left join people
        on events.person_id = people.person_id
),

-- a completed order is activity too
order_rows as (
    select
        dates.month_start_date,
        case when people.is_identified then orders.person_id end as active_user_id
    from orders
    inner join dates
        on orders.ordered_date = dates.date_day
    left join people
        on orders.person_id = people.person_id
    where orders.is_completed
),

activity_rows as (
    select
        month_start_date,
        active_user_id
    from event_rows
    union all
    select
        month_start_date,
        active_user_id
    from order_rows
),

monthly_active_users as (
    select
        month_start_date,
        count(distinct active_user_id) as active_users
    from activity_rows
    group by month_start_date
),

-- feature_used events without a feature name cannot be attributed to a feature.
feature_months as (
    select
        feature_name,
        month_start_date,
        count(distinct user_id) as feature_users,
        count(*) as feature_uses
    from event_rows
    where
        event_type = 'feature_used'
        and feature_name is not null
    group by feature_name, month_start_date
),

final as (
    select
        cast(feature_months.feature_name as {{ dbt.type_string() }}) as feature_name,
        cast(feature_months.month_start_date as date) as month_start_date,
        cast(feature_months.feature_users as {{ dbt.type_bigint() }}) as feature_users,
        cast(monthly_active_users.active_users as {{ dbt.type_bigint() }}) as active_users,
        cast(
            {{ safe_divide('feature_months.feature_users', 'monthly_active_users.active_users') }}
            as {{ type_double() }}
        ) as feature_adoption_rate,
        cast(feature_months.feature_uses as {{ dbt.type_bigint() }}) as feature_uses
    from feature_months
    inner join monthly_active_users
        on feature_months.month_start_date = monthly_active_users.month_start_date
)

select * from final

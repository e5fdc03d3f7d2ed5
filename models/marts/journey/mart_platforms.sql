-- One row per platform x month. Platform = where it happened: web / app for sessions (device
-- `app` = app, any other device = web) and web / app / pos / sales for orders
-- (fct_orders.order_channel). Sessions and conversion rate come from fct_sessions, orders,
-- revenue and AOV from completed orders; same definitions and formula macros as the KPI
-- models (conversion_rate, orders, revenue, average_order_value).
with

sessions as (
    select * from {{ ref('fct_sessions') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

session_months as (
    select
        case when sessions.device = 'app' then 'app' else 'web' end as platform,
        dates.month_start_date,
        count(*) as sessions,
        sum(case when sessions.is_converting then 1 else 0 end) as converting_sessions
    from sessions
    inner join dates
        on sessions.session_date = dates.date_day
    group by 1, 2
),

order_months as (
    select
        orders.order_channel as platform,
        dates.month_start_date,
        count(*) as orders,
        sum(orders.amount) as revenue
    from orders
    inner join dates
        on orders.ordered_date = dates.date_day
    where orders.is_completed
    group by 1, 2
),

platform_months as (
    select
        coalesce(session_months.platform, order_months.platform) as platform,
        coalesce(session_months.month_start_date, order_months.month_start_date)
            as month_start_date,
        coalesce(session_months.sessions, 0) as sessions,
        coalesce(session_months.converting_sessions, 0) as converting_sessions,
        coalesce(order_months.orders, 0) as orders,
        coalesce(order_months.revenue, 0) as revenue
    from session_months
    full outer join order_months
        on
            session_months.platform = order_months.platform
            and session_months.month_start_date = order_months.month_start_date
),

final as (
    select
        cast(platform as {{ dbt.type_string() }}) as platform,
        cast(month_start_date as date) as month_start_date,
        cast(sessions as {{ dbt.type_bigint() }}) as sessions,
        cast(converting_sessions as {{ dbt.type_bigint() }}) as converting_sessions,
        cast(
            {{ safe_divide('converting_sessions', 'sessions') }} as {{ type_double() }}
        ) as conversion_rate,
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        cast(revenue as decimal(38, 6)) as revenue,
        cast({{ safe_divide('revenue', 'orders') }} as {{ type_double() }}) as average_order_value
    from platform_months
)

select * from final

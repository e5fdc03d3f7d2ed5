-- One row per landing page x session channel (and `all`) x month: traffic, bounce, engagement
-- and what the sessions landing on the page produced (leads, orders, revenue). Per-page values
-- are not in mart_kpi_values; they use the same session flags and formula macros as
-- kpis_sessions. Sessions without a page view have no landing page and are left out.
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

-- Completed orders placed in a session (fct_orders.session_id: the session holding the
-- order's purchase event).
session_orders as (
    select
        session_id,
        count(*) as orders,
        sum(amount) as revenue
    from orders
    where
        is_completed
        and session_id is not null
    group by session_id
),

session_rows as (
    select
        sessions.landing_page,
        sessions.channel,
        dates.month_start_date,
        case when sessions.is_bounced then 1 else 0 end as is_bounced,
        case when sessions.is_engaged then 1 else 0 end as is_engaged,
        case when sessions.has_lead then 1 else 0 end as has_lead,
        case when sessions.has_order then 1 else 0 end as has_order,
        case when sessions.has_lead or sessions.has_order then 1 else 0 end as is_lead_or_order,
        coalesce(session_orders.orders, 0) as orders,
        coalesce(session_orders.revenue, 0) as revenue
    from sessions
    inner join dates
        on sessions.session_date = dates.date_day
    left join session_orders
        on sessions.session_id = session_orders.session_id
    where sessions.landing_page is not null
),

channel_options as (
    {{ kpi_rollup_grid(slice_personas=false, rollups=true) }}
),

-- Each session counted in its own channel and in `all`.
session_slices as (
    select
        session_rows.landing_page,
        case
            when channel_options.is_all_channels then 'all' else session_rows.channel
        end as channel,
        session_rows.month_start_date,
        session_rows.is_bounced,
        session_rows.is_engaged,
        session_rows.has_lead,
        session_rows.has_order,
        session_rows.is_lead_or_order,
        session_rows.orders,
        session_rows.revenue
    from session_rows
    cross join channel_options
),

aggregated as (
    select
        landing_page,
        channel,
        month_start_date,
        count(*) as sessions,
        sum(is_bounced) as bounced_sessions,
        sum(is_engaged) as engaged_sessions,
        sum(is_lead_or_order) as converting_sessions,
        sum(has_lead) as lead_sessions,
        sum(has_order) as order_sessions,
        sum(orders) as orders,
        sum(revenue) as revenue
    from session_slices
    group by landing_page, channel, month_start_date
),

final as (
    select
        cast(landing_page as {{ dbt.type_string() }}) as landing_page,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(month_start_date as date) as month_start_date,
        cast(sessions as {{ dbt.type_bigint() }}) as sessions,
        cast(bounced_sessions as {{ dbt.type_bigint() }}) as bounced_sessions,
        cast(
            {{ safe_divide('bounced_sessions', 'sessions') }} as {{ type_double() }}
        ) as bounce_rate,
        cast(engaged_sessions as {{ dbt.type_bigint() }}) as engaged_sessions,
        cast(
            {{ safe_divide('engaged_sessions', 'sessions') }} as {{ type_double() }}
        ) as engagement_rate,
        cast(converting_sessions as {{ dbt.type_bigint() }}) as converting_sessions,
        cast(
            {{ safe_divide('converting_sessions', 'sessions') }} as {{ type_double() }}
        ) as landing_page_conversion_rate,
        cast(lead_sessions as {{ dbt.type_bigint() }}) as lead_sessions,
        cast(order_sessions as {{ dbt.type_bigint() }}) as order_sessions,
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        cast(revenue as decimal(38, 6)) as revenue
    from aggregated
)

select * from final

-- One row per acquisition-month cohort x channel x persona (each also rolled up to `all`) x
-- months since acquisition (0, 1, ... up to the month holding the as-of date): the cohort's
-- customers, those active in that month (a completed order or an activity event), the
-- retention share and the cumulative revenue per cohort customer. Cohort = month of the first
-- completed order; channel = acquisition channel; persona = dim_people.persona. The one place
-- cohort retention is computed (read by mart_cohort_retention and kpis_orders). The `all`
-- roll-ups come from the shared kpi_rollup_grid macro (always on: the mart shows them).
with

orders as (
    select * from {{ ref('fct_orders') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

events as (
    select * from {{ ref('fct_events') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

completed_orders as (
    select
        orders.person_id,
        orders.amount,
        orders.order_number,
        dates.month_start_date as order_month
    from orders
    inner join dates
        on orders.ordered_date = dates.date_day
    where orders.is_completed
),

customers as (
    select
        completed_orders.person_id,
        {{ attributed_channel('people.acquisition_channel') }} as channel,
        coalesce(people.persona, 'unassigned') as persona,
        completed_orders.order_month as cohort_month
    from completed_orders
    left join people
        on completed_orders.person_id = people.person_id
    where completed_orders.order_number = 1
),

slice_grid as (
    {{ kpi_rollup_grid(rollups=true) }}
),

customer_slices as (
    select
        customers.person_id,
        customers.cohort_month,
        case when slice_grid.is_all_channels then 'all' else customers.channel end as channel,
        case when slice_grid.is_all_personas then 'all' else customers.persona end as persona
    from customers
    cross join slice_grid
),

cohort_sizes as (
    select
        cohort_month,
        channel,
        persona,
        count(*) as cohort_customers
    from customer_slices
    group by 1, 2, 3
),

observed_months as (
    select distinct dates.month_start_date as activity_month
    from dates
    cross join as_of
    where dates.date_day <= as_of.as_of_date
),

cohort_grid as (
    select
        cohort_sizes.cohort_month,
        cohort_sizes.channel,
        cohort_sizes.persona,
        observed_months.activity_month,
        cohort_sizes.cohort_customers
    from cohort_sizes
    inner join observed_months
        on cohort_sizes.cohort_month <= observed_months.activity_month
),

activity_months as (
    select
        completed_orders.person_id,
        completed_orders.order_month as activity_month
    from completed_orders
    union distinct
    select
        events.person_id,
        dates.month_start_date as activity_month
    from events
    inner join dates
        on events.event_date = dates.date_day
    where events.is_activity_event
),

active_customers as (
    select
        customer_slices.cohort_month,
        customer_slices.channel,
        customer_slices.persona,
        activity_months.activity_month,
        count(*) as active_customers
    from customer_slices
    inner join activity_months
        on
            customer_slices.person_id = activity_months.person_id
            and customer_slices.cohort_month <= activity_months.activity_month
    group by 1, 2, 3, 4
),

revenue_months as (
    select
        customer_slices.cohort_month,
        customer_slices.channel,
        customer_slices.persona,
        completed_orders.order_month as activity_month,
        sum(completed_orders.amount) as revenue
    from customer_slices
    inner join completed_orders
        on customer_slices.person_id = completed_orders.person_id
    group by 1, 2, 3, 4
),

cohort_months as (
    select
        cohort_grid.cohort_month,
        cohort_grid.channel,
        cohort_grid.persona,
        cohort_grid.activity_month,
        {{ dbt.datediff('cohort_grid.cohort_month', 'cohort_grid.activity_month', 'month') }}
            as months_since_acquisition,
        cohort_grid.cohort_customers,
        coalesce(active_customers.active_customers, 0) as active_customers,
        sum(coalesce(revenue_months.revenue, 0)) over (
            partition by cohort_grid.cohort_month, cohort_grid.channel, cohort_grid.persona
            order by cohort_grid.activity_month
            rows between unbounded preceding and current row
        ) as cumulative_revenue
    from cohort_grid
    left join active_customers
        on
            cohort_grid.cohort_month = active_customers.cohort_month
            and cohort_grid.channel = active_customers.channel
            and cohort_grid.persona = active_customers.persona
            and cohort_grid.activity_month = active_customers.activity_month
    left join revenue_months
        on
            cohort_grid.cohort_month = revenue_months.cohort_month
            and cohort_grid.channel = revenue_months.channel
            and cohort_grid.persona = revenue_months.persona
            and cohort_grid.activity_month = revenue_months.activity_month
),

final as (
    select
        cast(cohort_month as date) as cohort_month,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(persona as {{ dbt.type_string() }}) as persona,
        cast(months_since_acquisition as {{ dbt.type_bigint() }}) as months_since_acquisition,
        cast(activity_month as date) as activity_month,
        cast(cohort_customers as {{ dbt.type_bigint() }}) as cohort_customers,
        cast(active_customers as {{ dbt.type_bigint() }}) as active_customers,
        {{ safe_divide('active_customers', 'cohort_customers') }} as retention_rate,
        cast(cumulative_revenue as decimal(28, 6)) as cumulative_revenue,
        cast(
            {{ safe_divide('cumulative_revenue', 'cohort_customers') }}
            as decimal(28, 6)
        ) as cumulative_revenue_per_customer
    from cohort_months
)

select * from final

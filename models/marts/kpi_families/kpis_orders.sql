-- Order flow KPIs of completed orders, one long row per kpi x channel x persona x period
-- grain x period start (columns of mart_kpi_values): revenue, orders, average_order_value and
-- new_customers, dated at the order. Channel = the customer's acquisition channel, persona =
-- dim_people.persona. Cohort retention (month grain only) is months 1 and 3 of
-- kpis_cohort_retention_cells, the same numbers as mart_cohort_retention. The stocks (repeat
-- purchase rate, lifetime value, gross margin to date) are in kpis_customer_value, time
-- and touches to conversion in kpis_conversion_time.
with

orders as (
    select * from {{ ref('fct_orders') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

cohort_retention as (
    select * from {{ ref('kpis_cohort_retention_cells') }}
),

completed_orders as (
    select
        orders.order_id,
        orders.person_id,
        {{ attributed_channel('people.acquisition_channel') }} as channel,
        coalesce(people.persona, 'unassigned') as persona,
        orders.amount,
        case when orders.order_number = 1 then 1 else 0 end as is_new_customer,
        orders.ordered_date
    from orders
    left join people
        on orders.person_id = people.person_id
    where orders.is_completed
),

-- Flows, all additive: completed orders summed once per day x channel x persona, and those
-- cells fanned out to their periods and slices.
order_cells as (
    {{ kpi_day_cells(
        'completed_orders', 'ordered_date', ['amount', 'is_new_customer'], count_column='orders'
    ) }}
),

order_slices as (
    {{ kpi_slices('order_cells', 'ordered_date', ['orders', 'amount', 'is_new_customer']) }}
),

order_periods as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        sum(orders) as orders,
        sum(amount) as revenue,
        sum(is_new_customer) as new_customers
    from order_slices
    group by period_grain, period_start, channel, persona
),

-- Cohort retention (month grain only): months 1 and 3 of the acquisition-month triangle
-- computed in kpis_cohort_retention_cells (rows exist once month N has started by the as-of date);
-- its `all` roll-ups only when var kpi_rollups is on.
cohort_periods as (
    select
        'month' as period_grain,
        cohort_month as period_start,
        channel,
        persona,
        months_since_acquisition,
        cohort_customers,
        active_customers
    from cohort_retention
    where
        months_since_acquisition in (1, 3)
        and (
            {{ 'true' if var('kpi_rollups', true) else 'false' }}
            or (channel <> 'all' and persona <> 'all')
        )
),

final as (
    select {{ kpi_row('revenue', 'conversion', 'revenue', kind='total') }}
    from order_periods
    union all
    select {{ kpi_row('orders', 'conversion', 'orders', kind='total') }}
    from order_periods
    union all
    select {{ kpi_row('average_order_value', 'conversion', 'revenue', 'orders') }}
    from order_periods
    union all
    select {{ kpi_row('new_customers', 'conversion', 'new_customers', kind='total') }}
    from order_periods
    {%- if 'month' in kpi_period_grains() %}
        union all
        select
            {{ kpi_row(
                'cohort_retention_month_1', 'retention', 'active_customers', 'cohort_customers'
            ) }}
        from cohort_periods
        where months_since_acquisition = 1
        union all
        select
            {{ kpi_row(
                'cohort_retention_month_3', 'retention', 'active_customers', 'cohort_customers'
            ) }}
        from cohort_periods
        where months_since_acquisition = 3
    {%- endif %}
)

select * from final

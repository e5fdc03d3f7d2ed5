-- Customer value stocks, one long row per kpi x channel x persona x period grain x period
-- start (columns of mart_kpi_values): repeat_purchase_rate, customer_lifetime_value
-- (historical revenue per customer to date) and customer_gross_margin_to_date. Channel = the
-- customer's acquisition channel, persona = dim_people.persona. Each is a stock at the period
-- end: the flows of completed orders per period and slice (new customers, second orders,
-- revenue, gross margin) cumulate over a period spine from the first completed order to the
-- as-of date (O(periods x slices), never customers x periods). A slice has rows from its
-- first customer on (before it, it has no input at all).
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

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

completed_orders as (
    select
        orders.order_id,
        orders.person_id,
        {{ attributed_channel('people.acquisition_channel') }} as channel,
        coalesce(people.persona, 'unassigned') as persona,
        orders.amount,
        orders.gross_margin,
        orders.order_number,
        orders.ordered_date
    from orders
    left join people
        on orders.person_id = people.person_id
    where orders.is_completed
),

order_slices as (
    {{ kpi_slices(
        'completed_orders', 'ordered_date', ['amount', 'gross_margin', 'order_number']
    ) }}
),

order_periods as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        sum(amount) as revenue,
        sum(gross_margin) as gross_margin,
        {{ flag_count('order_number = 1') }} as new_customers,
        {{ flag_count('order_number = 2') }} as repeat_customers
    from order_slices
    group by 1, 2, 3, 4
),

stock_bounds as (
    select
        max(as_of.as_of_date) as as_of_date,
        min(completed_orders.ordered_date) as first_order_date
    from as_of
    cross join completed_orders
),

period_spine as (
    {{ kpi_period_spine('stock_bounds', 'first_order_date', 'as_of_date') }}
),

stock_slices as (
    select distinct
        period_grain,
        channel,
        persona
    from order_periods
),

stock_flows as (
    select
        stock_slices.period_grain,
        period_spine.period_start,
        stock_slices.channel,
        stock_slices.persona,
        coalesce(order_periods.new_customers, 0) as new_customers,
        coalesce(order_periods.repeat_customers, 0) as repeat_customers,
        coalesce(order_periods.revenue, 0) as revenue,
        coalesce(order_periods.gross_margin, 0) as gross_margin
    from stock_slices
    inner join period_spine
        on stock_slices.period_grain = period_spine.period_grain
    left join order_periods
        on
            stock_slices.period_grain = order_periods.period_grain
            and period_spine.period_start = order_periods.period_start
            and stock_slices.channel = order_periods.channel
            and stock_slices.persona = order_periods.persona
),

customer_stocks as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        sum(new_customers) over (
            partition by period_grain, channel, persona
            order by period_start
            rows between unbounded preceding and current row
        ) as customers_to_date,
        sum(repeat_customers) over (
            partition by period_grain, channel, persona
            order by period_start
            rows between unbounded preceding and current row
        ) as repeat_customers_to_date,
        sum(revenue) over (
            partition by period_grain, channel, persona
            order by period_start
            rows between unbounded preceding and current row
        ) as revenue_to_date,
        sum(gross_margin) over (
            partition by period_grain, channel, persona
            order by period_start
            rows between unbounded preceding and current row
        ) as gross_margin_to_date
    from stock_flows
),

-- From the slice's first customer on (every completed order follows its customer's first).
slice_stocks as (
    select * from customer_stocks
    where customers_to_date > 0
),

final as (
    select
        {{ kpi_row(
            'repeat_purchase_rate', 'retention',
            'repeat_customers_to_date', 'customers_to_date'
        ) }}
    from slice_stocks
    union all
    select
        {{ kpi_row(
            'customer_lifetime_value', 'retention', 'revenue_to_date', 'customers_to_date'
        ) }}
    from slice_stocks
    union all
    select
        {{ kpi_row(
            'customer_gross_margin_to_date', 'retention',
            'gross_margin_to_date', 'customers_to_date'
        ) }}
    from slice_stocks
)

select * from final

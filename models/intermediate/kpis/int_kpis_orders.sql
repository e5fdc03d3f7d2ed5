-- KPIs of completed orders and customers, one long row per kpi x channel x persona x period
-- grain x period start (columns of mart_kpi_values). Channel = the customer's acquisition
-- channel, persona = dim_people.persona. Flows (revenue, orders, AOV, new customers) are dated
-- at the order, time/touches to conversion at the first completed order; stocks (repeat
-- purchase rate, lifetime value and gross margin to date) cumulate per slice over a period
-- spine from the first completed order to the as-of date; cohort retention (month grain only)
-- is months 1 and 3 of int_cohort_retention, the same numbers as mart_cohort_retention.
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

cohort_retention as (
    select * from {{ ref('int_cohort_retention') }}
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

-- Flows: every completed order in its periods and slices.
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
        count(*) as orders,
        sum(amount) as revenue,
        sum(gross_margin) as gross_margin,
        {{ flag_count('order_number = 1') }} as new_customers,
        {{ flag_count('order_number = 2') }} as repeat_customers
    from order_slices
    group by 1, 2, 3, 4
),

-- Stocks: one row per slice x period from the first completed order to the as-of date,
-- cumulating the flows above (O(periods x slices), never customers x periods).
stock_bounds as (
    select
        as_of.as_of_date,
        min(completed_orders.ordered_date) as first_order_date
    from as_of
    cross join completed_orders
    group by 1
),

stock_grains as (
    select distinct period_grain
    from order_periods
),

period_spine as (
    select distinct
        stock_grains.period_grain,
        case stock_grains.period_grain
            when 'day' then dates.date_day
            when 'week' then dates.week_start_date
            else dates.month_start_date
        end as period_start
    from dates
    inner join stock_bounds
        on
            dates.date_day >= stock_bounds.first_order_date
            and dates.date_day <= stock_bounds.as_of_date
    cross join stock_grains
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

-- Time and touches from first touch to first completed order, dated at that order.
conversions as (
    select
        person_id,
        acquisition_channel as channel,
        persona,
        days_to_conversion,
        touches_to_conversion,
        cast(first_order_at as date) as first_order_date
    from people
    where first_order_at is not null
),

conversion_slices as (
    {{ kpi_slices(
        'conversions', 'first_order_date', ['days_to_conversion', 'touches_to_conversion']
    ) }}
),

conversion_periods as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        sum(days_to_conversion) as days_to_conversion,
        count(days_to_conversion) as conversions_with_days,
        {{ median_of('days_to_conversion') }} as median_days_to_conversion,
        sum(touches_to_conversion) as touches_to_conversion,
        count(touches_to_conversion) as conversions_with_touches
    from conversion_slices
    group by 1, 2, 3, 4
),

-- Cohort retention (month grain only): months 1 and 3 of the acquisition-month triangle
-- computed in int_cohort_retention (rows exist once month N has started by the as-of date);
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
    where orders > 0
    union all
    select {{ kpi_row('new_customers', 'conversion', 'new_customers', kind='total') }}
    from order_periods
    union all
    select
        {{ kpi_row(
            'time_to_conversion_days', 'conversion',
            'days_to_conversion', 'conversions_with_days'
        ) }}
    from conversion_periods
    where conversions_with_days > 0
    union all
    select
        {{ kpi_row(
            'time_to_conversion_days_median', 'conversion', none, none,
            kind='value', value='median_days_to_conversion'
        ) }}
    from conversion_periods
    where conversions_with_days > 0
    union all
    select
        {{ kpi_row(
            'touches_to_conversion', 'conversion',
            'touches_to_conversion', 'conversions_with_touches'
        ) }}
    from conversion_periods
    where conversions_with_touches > 0
    union all
    select
        {{ kpi_row(
            'repeat_purchase_rate', 'retention',
            'repeat_customers_to_date', 'customers_to_date'
        ) }}
    from customer_stocks
    where customers_to_date > 0
    union all
    select
        {{ kpi_row(
            'customer_lifetime_value', 'retention', 'revenue_to_date', 'customers_to_date'
        ) }}
    from customer_stocks
    where customers_to_date > 0
    union all
    select
        {{ kpi_row(
            'customer_gross_margin_to_date', 'retention',
            'gross_margin_to_date', 'customers_to_date'
        ) }}
    from customer_stocks
    where customers_to_date > 0
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

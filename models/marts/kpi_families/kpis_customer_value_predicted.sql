-- customer_lifetime_value_predicted, one long row per channel x persona x period grain x
-- period start (columns of mart_kpi_values): AOV x purchases per year x gross margin % x
-- 1 / annual churn rate, every input over the trailing 12 months ending with the period
-- (at the period end, or at as_of for the current period), so that one period's churn
-- cannot swing it and a day, week and month ending on the same day share one value:
--   window = the days after (period end - 12 months) up to the period end;
--   customer base = customers at the window start + customers acquired in it;
--   AOV = revenue / completed orders in the window; purchases per year = those orders /
--   customer base; gross margin % = gross margin / revenue in the window;
--   annual churn rate = customers churned in the window / customer base.
-- A row exists once the data covers the whole window (the first completed order on or
-- before the window start) and the value is defined (orders, revenue and churn in it).
-- Channel = acquisition channel, persona = dim_people.persona (each also `all`).
with

orders as (
    select * from {{ ref('fct_orders') }}
),

customers as (
    select * from {{ ref('int_customers_churned') }}
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

-- Dated flows of the customer base and of completed orders, one row per event.
value_flows as (
    select
        {{ attributed_channel('people.acquisition_channel') }} as channel,
        coalesce(people.persona, 'unassigned') as persona,
        orders.ordered_date as flow_date,
        1 as orders,
        orders.amount as revenue,
        orders.gross_margin,
        0 as joins,
        0 as leaves
    from orders
    left join people
        on orders.person_id = people.person_id
    where orders.is_completed
    union all
    select
        {{ attributed_channel('people.acquisition_channel') }} as channel,
        coalesce(people.persona, 'unassigned') as persona,
        cast(customers.first_order_at as date) as flow_date,
        0 as orders,
        0 as revenue,
        0 as gross_margin,
        1 as joins,
        0 as leaves
    from customers
    left join people
        on customers.person_id = people.person_id
    union all
    select
        {{ attributed_channel('people.acquisition_channel') }} as channel,
        coalesce(people.persona, 'unassigned') as persona,
        cast(customers.churned_at as date) as flow_date,
        0 as orders,
        0 as revenue,
        0 as gross_margin,
        0 as joins,
        1 as leaves
    from customers
    left join people
        on customers.person_id = people.person_id
    where customers.churned_at is not null
),

rollup_grid as (
    {{ kpi_rollup_grid() }}
),

daily_flows as (
    select
        case when rollup_grid.is_all_channels then 'all' else value_flows.channel end
            as channel,
        case when rollup_grid.is_all_personas then 'all' else value_flows.persona end
            as persona,
        value_flows.flow_date,
        sum(value_flows.orders) as orders,
        sum(value_flows.revenue) as revenue,
        sum(value_flows.gross_margin) as gross_margin,
        sum(value_flows.joins) as joins,
        sum(value_flows.leaves) as leaves
    from value_flows
    cross join rollup_grid
    group by 1, 2, 3
),

bounds as (
    select
        min(value_flows.flow_date) as first_date,
        max(as_of.as_of_date) as as_of_date
    from value_flows
    cross join as_of
),

period_spine as (
    {{ kpi_period_spine('bounds', 'first_date', 'as_of_date') }}
),

period_ends as (
    select
        period_spine.period_grain,
        period_spine.period_start,
        bounds.first_date,
        case
            when
                {{ kpi_period_end('period_spine.period_grain', 'period_spine.period_start') }}
                > bounds.as_of_date
                then bounds.as_of_date
            else
                {{ kpi_period_end('period_spine.period_grain', 'period_spine.period_start') }}
        end as window_end_date
    from period_spine
    cross join bounds
),

-- Each period's trailing window, kept only when the data covers all of it.
period_windows as (
    select
        period_grain,
        period_start,
        window_end_date,
        cast({{ dbt.dateadd('month', -12, 'window_end_date') }} as date) as window_after_date
    from period_ends
    where cast({{ dbt.dateadd('month', -12, 'window_end_date') }} as date) >= first_date
),

trailing_inputs as (
    select
        period_windows.period_grain,
        period_windows.period_start,
        daily_flows.channel,
        daily_flows.persona,
        sum(
            case
                when daily_flows.flow_date > period_windows.window_after_date
                    then daily_flows.orders
                else 0
            end
        ) as orders,
        sum(
            case
                when daily_flows.flow_date > period_windows.window_after_date
                    then daily_flows.revenue
                else 0
            end
        ) as revenue,
        sum(
            case
                when daily_flows.flow_date > period_windows.window_after_date
                    then daily_flows.gross_margin
                else 0
            end
        ) as gross_margin,
        sum(daily_flows.joins) - sum(
            case
                when daily_flows.flow_date <= period_windows.window_after_date
                    then daily_flows.leaves
                else 0
            end
        ) as customer_base,
        sum(
            case
                when daily_flows.flow_date > period_windows.window_after_date
                    then daily_flows.leaves
                else 0
            end
        ) as churned
    from period_windows
    inner join daily_flows
        on period_windows.window_end_date >= daily_flows.flow_date
    group by 1, 2, 3, 4
),

final as (
    select
        {{ kpi_row(
            'customer_lifetime_value_predicted', 'retention', none, kind='value',
            value=predicted_clv(
                safe_divide('revenue', 'orders'),
                safe_divide('orders', 'customer_base'),
                safe_divide('gross_margin', 'revenue'),
                safe_divide('churned', 'customer_base'),
            )
        ) }}
    from trailing_inputs
    where
        orders > 0
        and revenue <> 0
        and churned > 0
)

select * from final

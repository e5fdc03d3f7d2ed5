-- One row per customer-base KPI x channel x persona x period grain x period start:
-- churn_rate, customer_retention_rate, new_user_growth_rate, customer_lifetime_value_predicted
-- and referral_conversion_rate. The customer and user stocks per period and slice come from
-- int_customer_base_stocks (periods from the first member to as_of).
with

stocks as (
    select * from {{ ref('int_customer_base_stocks') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

completed_orders as (
    select
        orders.ordered_date,
        orders.amount,
        orders.gross_margin,
        {{ attributed_channel('people.acquisition_channel') }} as channel,
        coalesce(people.persona, 'unassigned') as persona
    from orders
    left join people
        on orders.person_id = people.person_id
    where orders.is_completed
),

orders_sliced as (
    {{ kpi_slices('completed_orders', 'ordered_date', ['amount', 'gross_margin']) }}
),

order_totals as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        count(*) as orders,
        sum(amount) as revenue,
        sum(gross_margin) as gross_margin
    from orders_sliced
    group by 1, 2, 3, 4
),

customer_periods as (
    select
        stocks.period_grain,
        stocks.period_start,
        stocks.channel,
        stocks.persona,
        stocks.at_start,
        stocks.at_end,
        stocks.joined as new_customers,
        stocks.joined - stocks.joined_and_left as new_customers_at_end,
        stocks.left_from_start as churned,
        {{ safe_divide('stocks.left_from_start', 'stocks.at_start') }} as churn_rate,
        {{ periods_per_year('stocks.period_grain') }} as periods_per_year,
        order_totals.orders,
        order_totals.revenue,
        order_totals.gross_margin
    from stocks
    left join order_totals
        on
            stocks.period_grain = order_totals.period_grain
            and stocks.period_start = order_totals.period_start
            and stocks.channel = order_totals.channel
            and stocks.persona = order_totals.persona
    where stocks.population = 'customer'
),

user_periods as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        at_start,
        joined as new_users,
        left_all as lost_users
    from stocks
    where population = 'user'
),

referral_people as (
    select
        cast(people.first_seen_at as date) as first_seen_date,
        people.acquisition_channel as channel,
        people.persona,
        case when people.is_customer then 1 else 0 end as is_customer
    from people
    cross join as_of
    where
        people.acquisition_channel = 'referral'
        and cast(people.first_seen_at as date) <= as_of.as_of_date
),

referral_sliced as (
    {{ kpi_slices('referral_people', 'first_seen_date', ['is_customer']) }}
),

referrals as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        count(*) as referred_people,
        sum(is_customer) as referred_customers
    from referral_sliced
    group by 1, 2, 3, 4
),

final as (
    select {{ kpi_row('churn_rate', 'retention', 'churned', 'at_start') }}
    from customer_periods
    where at_start > 0
    union all
    select
        {{ kpi_row(
            'customer_retention_rate', 'retention',
            customers_retained('at_end', 'new_customers_at_end'), 'at_start'
        ) }}
    from customer_periods
    where at_start > 0
    union all
    select
        {{ kpi_row(
            'new_user_growth_rate', 'onboarding',
            net_user_growth('new_users', 'lost_users'), 'at_start'
        ) }}
    from user_periods
    where at_start > 0
    union all
    select
        {{ kpi_row(
            'customer_lifetime_value_predicted', 'retention', none, kind='value',
            value=predicted_clv(
                safe_divide('revenue', 'orders'),
                '(' ~ safe_divide('orders', '(at_start + new_customers)')
                ~ ' * periods_per_year)',
                safe_divide('gross_margin', 'revenue'),
                annualized_rate('churn_rate', 'periods_per_year'),
            )
        ) }}
    from customer_periods
    where
        orders > 0
        and revenue <> 0
        and churn_rate > 0
    union all
    select
        {{ kpi_row(
            'referral_conversion_rate', 'advocacy', 'referred_customers', 'referred_people'
        ) }}
    from referrals
)

select * from final

-- One row per customer-base KPI x channel x persona x period grain x period start:
-- churn_rate, customer_retention_rate, new_user_growth_rate and referral_conversion_rate
-- (customer_lifetime_value_predicted, on trailing-12-month inputs, is in
-- kpis_customer_value_predicted). The customer and user stocks per period and slice come
-- from kpis_customer_base_stocks (periods from the first member to as_of). A period in which
-- the slice has members at start, joins or leaves keeps its rows even with nobody at start
-- (denominator 0, value null), so roll-ups over periods lose no churned or new member.
with

stocks as (
    select * from {{ ref('kpis_customer_base_stocks') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

customer_periods as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        at_start,
        at_end,
        joined as new_customers,
        joined - joined_and_left as new_customers_at_end,
        left_all,
        left_from_start as churned
    from stocks
    where population = 'customer'
),

user_periods as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        at_start,
        joined as new_users,
        left_all as lost_users,
        joined,
        left_all
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
    where at_start > 0 or new_customers > 0 or left_all > 0
    union all
    select
        {{ kpi_row(
            'customer_retention_rate', 'retention',
            customers_retained('at_end', 'new_customers_at_end'), 'at_start'
        ) }}
    from customer_periods
    where at_start > 0 or new_customers > 0 or left_all > 0
    union all
    select
        {{ kpi_row(
            'new_user_growth_rate', 'onboarding',
            net_user_growth('new_users', 'lost_users'), 'at_start'
        ) }}
    from user_periods
    where at_start > 0 or joined > 0 or left_all > 0
    union all
    select
        {{ kpi_row(
            'referral_conversion_rate', 'advocacy', 'referred_customers', 'referred_people'
        ) }}
    from referrals
)

select * from final

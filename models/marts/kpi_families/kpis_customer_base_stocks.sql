-- One row per population (customer, user) x period grain x period start x channel x persona:
-- the stock of members at the start and end of the period and its flows. Customers are members
-- from their first completed order until churned_at; users (identified people with tracked
-- activity) from first_active_at until last_active_at + churn_inactivity_days (when that is on or
-- before as_of). Joins and leaves are counted per period and slice, then cumulated along a
-- period spine from the population's first member to as_of, so the cost is periods x slices,
-- not people x periods. Feeds churn_rate, customer_retention_rate, new_user_growth_rate and
-- customer_lifetime_value_predicted (kpis_customer_base).
{%- set lost_at = dbt.dateadd('day', var('churn_inactivity_days'), 'people.last_active_at') %}

with

customers as (
    select * from {{ ref('int_customers_churned') }}
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

members as (
    select
        'customer' as population,
        {{ attributed_channel('people.acquisition_channel') }} as channel,
        coalesce(people.persona, 'unassigned') as persona,
        cast(customers.first_order_at as date) as joined_date,
        cast(customers.churned_at as date) as left_date
    from customers
    left join people
        on customers.person_id = people.person_id
    union all
    select
        'user' as population,
        people.acquisition_channel as channel,
        people.persona,
        cast(people.first_active_at as date) as joined_date,
        case
            when cast({{ lost_at }} as date) <= as_of.as_of_date
                then cast({{ lost_at }} as date)
        end as left_date
    from people
    cross join as_of
    where people.is_identified and people.first_active_at is not null
),

member_flows as (
    select
        members.population,
        members.channel,
        members.persona,
        members.joined_date as flow_date,
        members.joined_date,
        1 as joins,
        0 as leaves
    from members
    cross join as_of
    where members.joined_date <= as_of.as_of_date
    union all
    select
        population,
        channel,
        persona,
        left_date as flow_date,
        joined_date,
        0 as joins,
        1 as leaves
    from members
    where left_date is not null
),

flows_sliced as (
    {{ kpi_slices(
        'member_flows', 'flow_date', ['population', 'joined_date', 'joins', 'leaves']
    ) }}
),

flows as (
    select
        population,
        period_grain,
        period_start,
        channel,
        persona,
        sum(joins) as joined,
        sum(leaves) as left_all,
        sum(case when leaves = 1 and joined_date < period_start then 1 else 0 end)
            as left_from_start,
        sum(case when leaves = 1 and joined_date >= period_start then 1 else 0 end)
            as joined_and_left
    from flows_sliced
    group by 1, 2, 3, 4, 5
),

bounds as (
    select
        member_flows.population,
        min(member_flows.flow_date) as first_date,
        max(as_of.as_of_date) as as_of_date
    from member_flows
    cross join as_of
    group by 1
),

period_spine as (
    {{ kpi_period_spine('bounds', 'first_date', 'as_of_date', ['population']) }}
),

slices as (
    select distinct
        population,
        period_grain,
        channel,
        persona
    from flows
),

stocks as (
    select
        slices.population,
        slices.period_grain,
        period_spine.period_start,
        slices.channel,
        slices.persona,
        coalesce(flows.joined, 0) as joined,
        coalesce(flows.left_all, 0) as left_all,
        coalesce(flows.left_from_start, 0) as left_from_start,
        coalesce(flows.joined_and_left, 0) as joined_and_left,
        coalesce(sum(coalesce(flows.joined, 0) - coalesce(flows.left_all, 0)) over (
            partition by slices.population, slices.period_grain, slices.channel, slices.persona
            order by period_spine.period_start
            rows between unbounded preceding and 1 preceding
        ), 0) as at_start
    from slices
    inner join period_spine
        on
            slices.population = period_spine.population
            and slices.period_grain = period_spine.period_grain
    left join flows
        on
            slices.population = flows.population
            and slices.period_grain = flows.period_grain
            and period_spine.period_start = flows.period_start
            and slices.channel = flows.channel
            and slices.persona = flows.persona
),

final as (
    select
        population,
        period_grain,
        period_start,
        channel,
        persona,
        at_start,
        joined,
        left_all,
        left_from_start,
        joined_and_left,
        at_start + joined - left_all as at_end
    from stocks
)

select * from final

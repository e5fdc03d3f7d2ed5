-- One row per customer (first completed order on or before as_of), as of the as-of date:
-- the four health components of seed health_score_weights (0..100 each), the weighted health
-- score, the at-risk flag (only for customers not churned: a churned customer has
-- is_churned instead, so the flag agrees with at_risk_customer_share), support tickets and
-- churn flags. The lookback window is the health_lookback_days days ending on as_of; its
-- recent half is the last half of them (rounded down), the earlier half the rest.
{%- set lookback_days = var('health_lookback_days') | int %}
{%- set recent_days = lookback_days // 2 %}
{%- set health_score = safe_divide(
    'weight_totals.satisfaction_weight * components.satisfaction_score'
    ~ ' + weight_totals.activity_trend_weight * components.activity_trend_score'
    ~ ' + weight_totals.support_weight * components.support_score'
    ~ ' + weight_totals.purchases_weight * components.purchases_score',
    '(weight_totals.satisfaction_weight + weight_totals.activity_trend_weight'
    ~ ' + weight_totals.support_weight + weight_totals.purchases_weight)'
) %}

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

responses as (
    select * from {{ ref('fct_survey_responses') }}
),

events as (
    select * from {{ ref('fct_events') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

tickets as (
    select * from {{ ref('fct_support_tickets') }}
),

weights as (
    select * from {{ ref('health_score_weights') }}
),

window_bounds as (
    select
        as_of_date,
        cast({{ dbt.dateadd('day', 1 - lookback_days, 'as_of_date') }} as date)
            as window_start_date,
        cast({{ dbt.dateadd('day', 1 - recent_days, 'as_of_date') }} as date)
            as recent_start_date
    from as_of
),

latest_answers as (
    select
        responses.person_id,
        {{ satisfaction_points(
            'responses.survey_type', 'responses.score', 'responses.nps_band'
        ) }} as satisfaction_score,
        row_number() over (
            partition by responses.person_id
            order by
                responses.submitted_at desc,
                {{ binary_collation('responses.response_id') }} desc
        ) as answer_recency
    from responses
    cross join window_bounds
    where
        responses.survey_type in ('csat', 'nps')
        and responses.submitted_date >= window_bounds.window_start_date
        and responses.submitted_date <= window_bounds.as_of_date
),

-- Activity (catalog): engagement events (the stage map's flag) and completed orders; passive
-- events such as email_open or a ticket resolved by support are not activity.
activity_days as (
    select
        person_id,
        event_date as activity_date,
        0 as is_order
    from events
    where is_activity_event
    union all
    select
        person_id,
        ordered_date as activity_date,
        1 as is_order
    from orders
    where is_completed
),

activity as (
    select
        activity_days.person_id,
        count(distinct case
            when activity_days.activity_date >= window_bounds.recent_start_date
                then activity_days.activity_date
        end) as recent_active_days,
        count(distinct case
            when activity_days.activity_date < window_bounds.recent_start_date
                then activity_days.activity_date
        end) as earlier_active_days,
        max(activity_days.is_order) as has_order
    from activity_days
    cross join window_bounds
    where
        activity_days.activity_date >= window_bounds.window_start_date
        and activity_days.activity_date <= window_bounds.as_of_date
    group by 1
),

support as (
    select
        tickets.person_id,
        count(*) as tickets_opened,
        {{ flag_count(
            'tickets.resolved_at is null or cast(tickets.resolved_at as date)'
            ~ ' > window_bounds.as_of_date'
        ) }} as tickets_unresolved,
        min(tickets.opened_at) as first_ticket_opened_at
    from tickets
    cross join window_bounds
    where tickets.opened_date <= window_bounds.as_of_date
    group by 1
),

weight_totals as (
    select
        coalesce(max(case when component = 'satisfaction' then weight end), 0)
            as satisfaction_weight,
        coalesce(max(case when component = 'activity_trend' then weight end), 0)
            as activity_trend_weight,
        coalesce(max(case when component = 'support' then weight end), 0) as support_weight,
        coalesce(max(case when component = 'purchases' then weight end), 0)
            as purchases_weight
    from weights
),

components as (
    select
        customers.person_id,
        {{ attributed_channel('people.acquisition_channel') }} as acquisition_channel,
        coalesce(people.persona, 'unassigned') as persona,
        coalesce(latest_answers.satisfaction_score, 50) as satisfaction_score,
        {{ activity_trend_points(
            'coalesce(activity.recent_active_days, 0)',
            'coalesce(activity.earlier_active_days, 0)'
        ) }} as activity_trend_score,
        case when coalesce(support.tickets_unresolved, 0) > 0 then 0 else 100 end
            as support_score,
        case when activity.has_order = 1 then 100 else 0 end as purchases_score,
        coalesce(activity.recent_active_days, 0) as recent_active_days,
        coalesce(activity.earlier_active_days, 0) as earlier_active_days,
        coalesce(support.tickets_opened, 0) as tickets_opened,
        coalesce(support.tickets_unresolved, 0) as tickets_unresolved,
        customers.is_churned,
        support.first_ticket_opened_at,
        customers.first_order_at,
        customers.last_order_at,
        customers.last_activity_at,
        customers.churn_due_at,
        customers.churned_at,
        window_bounds.as_of_date
    from customers
    cross join window_bounds
    left join people
        on customers.person_id = people.person_id
    left join latest_answers
        on
            customers.person_id = latest_answers.person_id
            and latest_answers.answer_recency = 1
    left join activity
        on customers.person_id = activity.person_id
    left join support
        on customers.person_id = support.person_id
    where cast(customers.first_order_at as date) <= window_bounds.as_of_date
),

final as (
    select
        components.*,
        {{ health_score }} as health_score,
        -- churned customers are lost, not at risk: is_churned is their flag, and never both
        (
            not components.is_churned
            and {{ health_score }} < {{ var('at_risk_health_threshold') }}
        ) as is_at_risk
    from components
    cross join weight_totals
)

select * from final

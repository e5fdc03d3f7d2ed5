-- One row per person (tracking, CRM, commerce or survey): the persona of the first matching
-- rule of seed persona_rules (rule_order), with the attributes the rules looked at.
with

activity as (
    select * from {{ ref('int_people_activity') }}
),

leads as (
    select * from {{ ref('int_leads_scored') }}
),

orders as (
    select * from {{ ref('int_customer_orders_sequenced') }}
),

responses as (
    select * from {{ ref('stg_surveys__responses') }}
),

rules as (
    select * from {{ ref('persona_rules') }}
),

people as (
    select person_id from activity
    union distinct
    select person_id from leads
    union distinct
    select person_id from orders
    union distinct
    select user_id as person_id from responses
),

latest_lead as (
    select
        person_id,
        lead_id,
        job_role,
        company_size,
        row_number() over (
            partition by person_id
            order by created_at desc, {{ binary_collation('lead_id') }} desc
        ) as lead_recency
    from leads
),

purchasing as (
    select
        person_id,
        count(*) as completed_orders,
        {{ safe_divide('sum(amount)', 'count(*)') }} as average_order_value
    from orders
    where is_completed
    group by 1
),

attributes as (
    select
        people.person_id,
        latest_lead.lead_id,
        latest_lead.job_role,
        latest_lead.company_size,
        coalesce(purchasing.completed_orders, 0) as completed_orders,
        purchasing.average_order_value,
        coalesce(activity.engagement_events, 0) as engagement_events
    from people
    left join latest_lead
        on
            people.person_id = latest_lead.person_id
            and latest_lead.lead_recency = 1
    left join purchasing
        on people.person_id = purchasing.person_id
    left join activity
        on people.person_id = activity.person_id
),

matches as (
    select
        attributes.person_id,
        rules.persona,
        rules.basis as persona_basis,
        rules.rule_order,
        row_number() over (
            partition by attributes.person_id
            order by rules.rule_order
        ) as match_rank
    from attributes
    cross join rules
    where
        (
            rules.basis <> 'crm'
            or attributes.lead_id is not null
        )
        and (
            rules.job_roles = '*'
            or {{ dbt.concat(["'|'", 'rules.job_roles', "'|'"]) }}
            like {{ dbt.concat(["'%|'", 'attributes.job_role', "'|%'"]) }}
        )
        and (
            rules.company_sizes = '*'
            or {{ dbt.concat(["'|'", 'rules.company_sizes', "'|'"]) }}
            like {{ dbt.concat(["'%|'", 'attributes.company_size', "'|%'"]) }}
        )
        and (
            rules.min_completed_orders is null
            or attributes.completed_orders >= rules.min_completed_orders
        )
        and (
            rules.max_avg_order_value is null
            or attributes.average_order_value <= rules.max_avg_order_value
        )
        and (
            rules.min_engagement_events is null
            or attributes.engagement_events >= rules.min_engagement_events
        )
),

final as (
    select
        attributes.person_id,
        coalesce(matches.persona, 'unassigned') as persona,
        coalesce(matches.persona_basis, 'catch_all') as persona_basis,
        matches.rule_order as persona_rule_order,
        attributes.lead_id,
        attributes.job_role,
        attributes.company_size,
        attributes.completed_orders,
        attributes.average_order_value,
        attributes.engagement_events
    from attributes
    left join matches
        on
            attributes.person_id = matches.person_id
            and matches.match_rank = 1
)

select * from final

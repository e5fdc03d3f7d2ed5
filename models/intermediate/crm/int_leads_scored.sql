{%- set mql_threshold = var('mql_threshold') -%}

with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

events as (
    select * from {{ ref('int_events_stitched') }}
),

scoring_rules as (
    select * from {{ ref('lead_scoring_rules') }}
),

lead_users as (
    select distinct user_id from leads
    where user_id is not null
),

-- Events of people who are leads (one pass over the events).
lead_user_events as (
    select
        events.event_id,
        events.person_id,
        events.event_type,
        events.page_path,
        events.form_id,
        events.occurred_at
    from events
    inner join lead_users
        on events.person_id = lead_users.user_id
),

-- One row per (person, rule, matching event); one equi-join or LIKE branch per signal type.
person_signals as (
    select
        lead_user_events.person_id,
        scoring_rules.rule_id,
        lead_user_events.occurred_at as signal_at,
        lead_user_events.event_id as signal_key
    from lead_user_events
    inner join scoring_rules
        on
            scoring_rules.signal_type = 'event_type'
            and lead_user_events.event_type = scoring_rules.match_value
    union all
    select
        lead_user_events.person_id,
        scoring_rules.rule_id,
        lead_user_events.occurred_at as signal_at,
        lead_user_events.event_id as signal_key
    from lead_user_events
    inner join scoring_rules
        on
            scoring_rules.signal_type = 'page_path'
            and lead_user_events.event_type = 'page_view'
            and lead_user_events.page_path like scoring_rules.match_value
    union all
    select
        lead_user_events.person_id,
        scoring_rules.rule_id,
        lead_user_events.occurred_at as signal_at,
        lead_user_events.event_id as signal_key
    from lead_user_events
    inner join scoring_rules
        on
            scoring_rules.signal_type = 'form_id'
            and lead_user_events.event_type = 'form_submit'
            and lead_user_events.form_id = scoring_rules.match_value
),

-- Behaviour signals count up to the lead's close (won_at or lost_at, the earlier if both):
-- what the person did after the deal was decided cannot explain it.
lead_signals as (
    select
        leads.lead_id,
        person_signals.rule_id,
        person_signals.signal_at,
        person_signals.signal_key
    from leads
    inner join person_signals
        on
            leads.user_id = person_signals.person_id
            and (leads.won_at is null or leads.won_at >= person_signals.signal_at)
            and (leads.lost_at is null or leads.lost_at >= person_signals.signal_at)
    union all
    select
        leads.lead_id,
        scoring_rules.rule_id,
        leads.created_at as signal_at,
        scoring_rules.rule_id as signal_key
    from leads
    inner join scoring_rules
        on
            (
                scoring_rules.signal_type = 'job_role'
                and leads.job_role = scoring_rules.match_value
            )
            or (
                scoring_rules.signal_type = 'company_size'
                and leads.company_size = scoring_rules.match_value
            )
),

signals_counted as (
    select
        lead_signals.lead_id,
        lead_signals.signal_at,
        scoring_rules.points,
        scoring_rules.max_points,
        row_number() over (
            partition by lead_signals.lead_id, lead_signals.rule_id
            order by
                lead_signals.signal_at asc,
                {{ binary_collation('lead_signals.signal_key') }} asc
        ) as occurrence
    from lead_signals
    inner join scoring_rules
        on lead_signals.rule_id = scoring_rules.rule_id
),

-- Points each signal adds under its rule's cap, plus a 0-point marker at created_at.
signal_points as (
    select
        lead_id,
        signal_at,
        {{ capped_rule_points('points', 'occurrence', 'max_points') }}
        - {{ capped_rule_points('points', 'occurrence - 1', 'max_points') }} as points_added
    from signals_counted
    union all
    select
        lead_id,
        created_at as signal_at,
        0 as points_added
    from leads
),

running_scores as (
    select
        lead_id,
        signal_at,
        points_added,
        sum(points_added) over (
            partition by lead_id
            order by signal_at asc
            range between unbounded preceding and current row
        ) as running_score
    from signal_points
),

lead_scores as (
    select
        running_scores.lead_id,
        sum(running_scores.points_added) as lead_score,
        min(
            case
                when
                    running_scores.signal_at >= leads.created_at
                    and running_scores.running_score >= {{ mql_threshold }}
                    then running_scores.signal_at
            end
        ) as score_reached_mql_at,
        (
            sum(running_scores.points_added) >= {{ mql_threshold }}
            or max(leads.mql_at) is not null
        ) as is_mql
    from running_scores
    inner join leads
        on running_scores.lead_id = leads.lead_id
    group by running_scores.lead_id
),

-- The visitor step of the lead funnel: the person's first tracked event.
first_visits as (
    select
        person_id,
        min(occurred_at) as first_visit_at
    from lead_user_events
    group by person_id
),

final as (
    select
        leads.lead_id,
        coalesce(leads.user_id, {{ dbt.concat(["'lead:'", 'leads.lead_id']) }}) as person_id,
        leads.lead_source,
        leads.job_role,
        leads.company_size,
        leads.industry,
        cast(lead_scores.lead_score as {{ dbt.type_bigint() }}) as lead_score,
        {{ lead_score_band('lead_scores.lead_score') }} as lead_score_band,
        lead_scores.is_mql,
        leads.sql_at is not null as is_sql,
        leads.won_at is not null as is_won,
        leads.lost_at is not null as is_lost,
        leads.deal_amount,
        first_visits.first_visit_at,
        leads.created_at,
        case
            when lead_scores.is_mql
                then coalesce(leads.mql_at, lead_scores.score_reached_mql_at)
        end as mql_reached_at,
        leads.sql_at,
        leads.opportunity_at,
        leads.won_at,
        leads.lost_at,
        cast(leads.created_at as date) as created_date
    from leads
    inner join lead_scores
        on leads.lead_id = lead_scores.lead_id
    left join first_visits
        on leads.user_id = first_visits.person_id
)

select * from final

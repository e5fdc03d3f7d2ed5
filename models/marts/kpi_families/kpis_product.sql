-- Product-usage and support KPIs (long rows of mart_kpi_values): one row per KPI x channel x
-- persona x period. Channel = the person's acquisition channel, persona = the person's
-- persona, date = event_date (support tickets: opened_date; completed orders: ordered_date;
-- onboarding: the person's first onboarding event). Activity (active_users and the
-- denominator of feature_adoption_rate) = an activity event (fct_events.is_activity_event,
-- the stage map's engagement events) or a completed order. Per-event facts that need other
-- rows (conversion of a trial, the onboarding cohort) are flagged on the event first; events,
-- orders and tickets are then summed per day x channel x persona x active/feature user (the
-- pre-deduplicated cells); the sums are fanned out to every slice, the distinct users counted
-- per period x channel x persona and summed for the `all` roll-ups.
with

events as (
    select * from {{ ref('fct_events') }}
),

tickets as (
    select * from {{ ref('fct_support_tickets') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

-- Trials converted to paid: a completed order of the person at or after the trial start and
-- within trial_conversion_window_days of it (boundary inclusive); later orders do not count,
-- whatever the commerce system's is_trial_conversion flag says.
converted_trials as (
    select trials.event_id
    from events as trials
    inner join orders
        on
            trials.person_id = orders.person_id
            and trials.occurred_at <= orders.ordered_at
            and orders.ordered_at <= {{ dbt.dateadd(
                'day', var('trial_conversion_window_days'), 'trials.occurred_at'
            ) }}
    where
        trials.event_type = 'trial_start'
        and orders.is_completed
    group by trials.event_id
),

onboarding_events as (
    select
        event_id,
        person_id,
        event_type,
        row_number() over (
            partition by person_id
            order by occurred_at, {{ binary_collation('event_id') }}
        ) as onboarding_event_number
    from events
    where event_type in ('onboarding_step', 'onboarding_complete')
),

onboarding_completers as (
    select distinct person_id
    from onboarding_events
    where event_type = 'onboarding_complete'
),

-- The onboarding cohort: each person's first onboarding event, flagged when the person ever
-- completed onboarding.
onboarding_starts as (
    select
        onboarding_events.event_id,
        case
            when onboarding_completers.person_id is not null then 1 else 0
        end as is_onboarding_completed
    from onboarding_events
    left join onboarding_completers
        on onboarding_events.person_id = onboarding_completers.person_id
    where onboarding_events.onboarding_event_number = 1
),

-- One row per event with its slice attributes and measures. Channel and persona stay null
-- when the person is missing from dim_people (an upstream defect the not_null tests report).
event_rows as (
    select
        events.event_date as activity_date,
        people.acquisition_channel as channel,
        people.persona,
        1 as is_event,
        0 as is_ticket,
        case
            when people.is_identified and events.is_activity_event then events.person_id
        end as active_user_id,
        case
            when people.is_identified and events.event_type = 'feature_used'
                then events.person_id
        end as feature_user_id,
        case when events.event_type = 'trial_start' then 1 else 0 end as is_trial,
        case when converted_trials.event_id is not null then 1 else 0 end as is_trial_converted,
        case when onboarding_starts.event_id is not null then 1 else 0 end as is_onboarding_start,
        coalesce(onboarding_starts.is_onboarding_completed, 0) as is_onboarding_completed,
        case when events.event_type = 'in_app_purchase' then 1 else 0 end as is_in_app_purchase,
        case
            when events.event_type = 'in_app_purchase' then events.revenue else 0
        end as in_app_purchase_revenue,
        case when events.event_type = 'referral_sent' then 1 else 0 end as is_referral,
        0 as is_unresolved_ticket
    from events
    left join people
        on events.person_id = people.person_id
    left join converted_trials
        on events.event_id = converted_trials.event_id
    left join onboarding_starts
        on events.event_id = onboarding_starts.event_id
),

-- A completed order is activity too (a customer buying without tracked events is active).
order_rows as (
    select
        orders.ordered_date as activity_date,
        people.acquisition_channel as channel,
        people.persona,
        0 as is_event,
        0 as is_ticket,
        case when people.is_identified then orders.person_id end as active_user_id,
        cast(null as {{ dbt.type_string() }}) as feature_user_id,
        0 as is_trial,
        0 as is_trial_converted,
        0 as is_onboarding_start,
        0 as is_onboarding_completed,
        0 as is_in_app_purchase,
        0 as in_app_purchase_revenue,
        0 as is_referral,
        0 as is_unresolved_ticket
    from orders
    left join people
        on orders.person_id = people.person_id
    where orders.is_completed
),

ticket_rows as (
    select
        tickets.opened_date as activity_date,
        people.acquisition_channel as channel,
        people.persona,
        0 as is_event,
        1 as is_ticket,
        cast(null as {{ dbt.type_string() }}) as active_user_id,
        cast(null as {{ dbt.type_string() }}) as feature_user_id,
        0 as is_trial,
        0 as is_trial_converted,
        0 as is_onboarding_start,
        0 as is_onboarding_completed,
        0 as is_in_app_purchase,
        0 as in_app_purchase_revenue,
        0 as is_referral,
        case when tickets.is_resolved then 0 else 1 end as is_unresolved_ticket
    from tickets
    left join people
        on tickets.person_id = people.person_id
),

activity_rows as (
    select * from event_rows
    union all
    select * from order_rows
    union all
    select * from ticket_rows
),

-- Pre-deduplicated cells: one row per day x channel x persona x (active user, feature user)
-- pair, additive measures summed. Counting distinct users over the cells' fan-out gives the
-- same answer as over the rows, from about one row per person and day instead of per event.
activity_cells as (
    {{ kpi_day_cells(
        'activity_rows',
        'activity_date',
        [
            'is_event', 'is_ticket', 'is_trial', 'is_trial_converted', 'is_onboarding_start',
            'is_onboarding_completed', 'is_in_app_purchase', 'in_app_purchase_revenue',
            'is_referral', 'is_unresolved_ticket'
        ],
        ['active_user_id', 'feature_user_id']
    ) }}
),

-- The additive measures: the cells summed again per day x channel x persona (without the
-- user keys), then fanned out to every slice.
sum_cells as (
    {{ kpi_day_cells(
        'activity_cells',
        'activity_date',
        [
            'is_event', 'is_ticket', 'is_trial', 'is_trial_converted', 'is_onboarding_start',
            'is_onboarding_completed', 'is_in_app_purchase', 'in_app_purchase_revenue',
            'is_referral', 'is_unresolved_ticket'
        ]
    ) }}
),

sum_slices as (
    {{ kpi_slices(
        'sum_cells',
        'activity_date',
        [
            'is_event', 'is_ticket', 'is_trial', 'is_trial_converted', 'is_onboarding_start',
            'is_onboarding_completed', 'is_in_app_purchase', 'in_app_purchase_revenue',
            'is_referral', 'is_unresolved_ticket'
        ]
    ) }}
),

-- The distinct user counts. Channel (acquisition channel) and persona are the person's own,
-- one of each per person, so a user counted in one channel and persona is counted in no
-- other: distinct users are counted per period x channel x persona (the cells fanned out to
-- the period grains only), and the `all` roll-ups are sums of those counts.
user_cells as (
    select
        activity_date,
        channel as user_channel,
        persona as user_persona,
        active_user_id,
        feature_user_id
    from activity_cells
),

user_slices as (
    {{ kpi_slices(
        'user_cells',
        'activity_date',
        ['user_channel', 'user_persona', 'active_user_id', 'feature_user_id'],
        slice_channels=false,
        slice_personas=false
    ) }}
),

user_counts as (
    select
        period_grain,
        period_start,
        user_channel as channel,
        user_persona as persona,
        count(distinct active_user_id) as active_users,
        count(distinct feature_user_id) as feature_users
    from user_slices
    group by period_grain, period_start, user_channel, user_persona
),

user_count_slices as (
    select * from user_counts
    {%- if var('kpi_rollups', true) %}
        union all
        select
            period_grain,
            period_start,
            'all' as channel,
            persona,
            sum(active_users) as active_users,
            sum(feature_users) as feature_users
        from user_counts
        group by period_grain, period_start, persona
        union all
        select
            period_grain,
            period_start,
            channel,
            'all' as persona,
            sum(active_users) as active_users,
            sum(feature_users) as feature_users
        from user_counts
        group by period_grain, period_start, channel
        union all
        select
            period_grain,
            period_start,
            'all' as channel,
            'all' as persona,
            sum(active_users) as active_users,
            sum(feature_users) as feature_users
        from user_counts
        group by period_grain, period_start
    {%- endif %}
),

-- Both halves have the same slices; a union and a group (not a join, which would drop null
-- channels or personas) puts them side by side. Nulls, not zeros, fill the other half's
-- columns, so a sum stays null where the rows' sum was.
slice_parts as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        cast(null as {{ dbt.type_bigint() }}) as active_users,
        cast(null as {{ dbt.type_bigint() }}) as feature_users,
        sum(is_event) as event_count,
        sum(is_ticket) as ticket_count,
        sum(is_trial) as trials,
        sum(is_trial_converted) as converted_trials,
        sum(is_onboarding_start) as onboarding_starters,
        sum(is_onboarding_completed) as onboarding_completers,
        sum(is_in_app_purchase) as in_app_purchases,
        sum(in_app_purchase_revenue) as in_app_purchase_revenue,
        sum(is_referral) as referrals,
        sum(is_unresolved_ticket) as unresolved_tickets
    from sum_slices
    group by period_grain, period_start, channel, persona
    union all
    select
        period_grain,
        period_start,
        channel,
        persona,
        active_users,
        feature_users,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        cast(null as {{ dbt.type_bigint() }}) as ticket_count,
        cast(null as {{ dbt.type_bigint() }}) as trials,
        cast(null as {{ dbt.type_bigint() }}) as converted_trials,
        cast(null as {{ dbt.type_bigint() }}) as onboarding_starters,
        cast(null as {{ dbt.type_bigint() }}) as onboarding_completers,
        cast(null as {{ dbt.type_bigint() }}) as in_app_purchases,
        cast(null as {{ dbt.type_numeric() }}) as in_app_purchase_revenue,
        cast(null as {{ dbt.type_bigint() }}) as referrals,
        cast(null as {{ dbt.type_bigint() }}) as unresolved_tickets
    from user_count_slices
),

aggregated as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        sum(active_users) as active_users,
        sum(feature_users) as feature_users,
        sum(event_count) as event_count,
        sum(ticket_count) as ticket_count,
        sum(trials) as trials,
        sum(converted_trials) as converted_trials,
        sum(onboarding_starters) as onboarding_starters,
        sum(onboarding_completers) as onboarding_completers,
        sum(in_app_purchases) as in_app_purchases,
        sum(in_app_purchase_revenue) as in_app_purchase_revenue,
        sum(referrals) as referrals,
        sum(unresolved_tickets) as unresolved_tickets
    from slice_parts
    group by period_grain, period_start, channel, persona
),

-- Ratio rows exist where the slice has any input (numerator or denominator non-zero): a
-- zero denominator keeps its row with the numerator and a null value. Event counts exist
-- for every slice and period with events (0 included), active_users also where only a
-- completed order shows activity.
final as (
    select {{ kpi_row('trial_to_paid_rate', 'conversion', 'converted_trials', 'trials') }}
    from aggregated
    where converted_trials != 0 or trials != 0
    union all
    select
        {{ kpi_row(
            'onboarding_completion_rate', 'onboarding',
            'onboarding_completers', 'onboarding_starters'
        ) }}
    from aggregated
    where onboarding_completers != 0 or onboarding_starters != 0
    union all
    select
        {{ kpi_row('feature_adoption_rate', 'onboarding', 'feature_users', 'active_users') }}
    from aggregated
    where feature_users != 0 or active_users != 0
    union all
    select {{ kpi_row('active_users', 'onboarding', 'active_users', kind='total') }}
    from aggregated
    where event_count > 0 or active_users > 0
    union all
    select {{ kpi_row('in_app_purchases', 'onboarding', 'in_app_purchases', kind='total') }}
    from aggregated
    where event_count > 0
    union all
    select
        {{ kpi_row(
            'in_app_purchase_revenue', 'onboarding', 'in_app_purchase_revenue', kind='total'
        ) }}
    from aggregated
    where event_count > 0
    union all
    select {{ kpi_row('referrals_sent', 'advocacy', 'referrals', kind='total') }}
    from aggregated
    where event_count > 0
    union all
    select
        {{ kpi_row('unresolved_complaints', 'retention', 'unresolved_tickets', kind='total') }}
    from aggregated
    where ticket_count > 0
)

select * from final

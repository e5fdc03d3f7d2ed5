-- Event KPIs (long rows of mart_kpi_values): one row per KPI x channel x persona x period.
-- Channel = the person's acquisition channel, persona = the person's persona, date =
-- event_date (support tickets: opened_date). Per-event facts that need other rows (scroll
-- depth of a page view, completion of a video start, conversion of a trial, the onboarding
-- cohort) are flagged on the event first; events and tickets are then fanned out once and
-- every KPI is aggregated from the fanned rows.
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

-- Deepest scroll recorded in a session on a page (credited to each page view of that page in
-- the session).
page_scroll_depths as (
    select
        session_id,
        page_path,
        max(scroll_depth_pct) as max_scroll_depth_pct
    from events
    where
        event_type = 'scroll'
        and session_id is not null
    group by session_id, page_path
),

-- Video starts followed, in the same session, by a video_complete of the same video.
completed_video_starts as (
    select video_starts.event_id
    from events as video_starts
    inner join events as video_completes
        on
            video_starts.session_id = video_completes.session_id
            and video_starts.video_id = video_completes.video_id
            and video_starts.occurred_at <= video_completes.occurred_at
    where
        video_starts.event_type = 'video_start'
        and video_completes.event_type = 'video_complete'
    group by video_starts.event_id
),

-- Trials converted to paid: a completed order of the person at or after the trial start,
-- either within trial_conversion_window_days (inclusive) or flagged is_trial_conversion.
converted_trials as (
    select trials.event_id
    from events as trials
    inner join orders
        on
            trials.person_id = orders.person_id
            and trials.occurred_at <= orders.ordered_at
            and (
                orders.ordered_at <= {{ dbt.dateadd(
                    'day', var('trial_conversion_window_days'), 'trials.occurred_at'
                ) }}
                or orders.is_trial_conversion
            )
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
        case when people.is_identified then events.person_id end as active_user_id,
        case
            when people.is_identified and events.event_type = 'feature_used'
                then events.person_id
        end as feature_user_id,
        case when events.event_type = 'page_view' then 1 else 0 end as is_page_view,
        case
            when events.event_type = 'page_view' and events.engagement_time_s is not null
                then 1
            else 0
        end as is_timed_page_view,
        case
            when events.event_type = 'page_view' then events.engagement_time_s else 0
        end as page_view_engagement_s,
        case
            when events.event_type = 'page_view'
                then coalesce(page_scroll_depths.max_scroll_depth_pct, 0)
            else 0
        end as page_view_scroll_depth_pct,
        case when events.event_type = 'content_download' then 1 else 0 end as is_download,
        case when events.event_type = 'content_share' then 1 else 0 end as is_share,
        case when events.event_type = 'video_start' then 1 else 0 end as is_video_start,
        case
            when completed_video_starts.event_id is not null then 1 else 0
        end as is_video_completed,
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
    left join page_scroll_depths
        on
            events.session_id = page_scroll_depths.session_id
            and events.page_path = page_scroll_depths.page_path
    left join completed_video_starts
        on events.event_id = completed_video_starts.event_id
    left join converted_trials
        on events.event_id = converted_trials.event_id
    left join onboarding_starts
        on events.event_id = onboarding_starts.event_id
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
        0 as is_page_view,
        0 as is_timed_page_view,
        0 as page_view_engagement_s,
        0 as page_view_scroll_depth_pct,
        0 as is_download,
        0 as is_share,
        0 as is_video_start,
        0 as is_video_completed,
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
    select * from ticket_rows
),

activity_slices as (
    {{ kpi_slices(
        'activity_rows',
        'activity_date',
        [
            'is_event', 'is_ticket', 'active_user_id', 'feature_user_id', 'is_page_view',
            'is_timed_page_view', 'page_view_engagement_s', 'page_view_scroll_depth_pct',
            'is_download', 'is_share', 'is_video_start', 'is_video_completed', 'is_trial',
            'is_trial_converted', 'is_onboarding_start', 'is_onboarding_completed',
            'is_in_app_purchase', 'in_app_purchase_revenue', 'is_referral',
            'is_unresolved_ticket'
        ]
    ) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        sum(is_event) as event_count,
        sum(is_ticket) as ticket_count,
        count(distinct active_user_id) as active_users,
        count(distinct feature_user_id) as feature_users,
        sum(is_page_view) as page_views,
        sum(is_timed_page_view) as timed_page_views,
        sum(page_view_engagement_s) as page_view_engagement_s,
        sum(page_view_scroll_depth_pct) as page_view_scroll_depth_pct,
        sum(is_download) as content_download_count,
        sum(is_share) as content_share_count,
        sum(is_video_start) as video_starts,
        sum(is_video_completed) as completed_video_starts,
        sum(is_trial) as trials,
        sum(is_trial_converted) as converted_trials,
        sum(is_onboarding_start) as onboarding_starters,
        sum(is_onboarding_completed) as onboarding_completers,
        sum(is_in_app_purchase) as in_app_purchases,
        sum(in_app_purchase_revenue) as in_app_purchase_revenue,
        sum(is_referral) as referrals,
        sum(is_unresolved_ticket) as unresolved_tickets
    from activity_slices
    group by period_grain, period_start, channel, persona
),

final as (
    select
        {{ kpi_row(
            'avg_time_on_page_s', 'consideration', 'page_view_engagement_s', 'timed_page_views'
        ) }}
    from aggregated
    where timed_page_views > 0
    union all
    select
        {{ kpi_row(
            'avg_scroll_depth_pct', 'consideration', 'page_view_scroll_depth_pct', 'page_views'
        ) }}
    from aggregated
    where page_views > 0
    union all
    select
        {{ kpi_row(
            'content_downloads', 'consideration', 'content_download_count', kind='total'
        ) }}
    from aggregated
    where event_count > 0
    union all
    select {{ kpi_row('content_shares', 'consideration', 'content_share_count', kind='total') }}
    from aggregated
    where event_count > 0
    union all
    select
        {{ kpi_row(
            'video_completion_rate', 'consideration', 'completed_video_starts', 'video_starts'
        ) }}
    from aggregated
    where video_starts > 0
    union all
    select {{ kpi_row('trial_to_paid_rate', 'conversion', 'converted_trials', 'trials') }}
    from aggregated
    where trials > 0
    union all
    select
        {{ kpi_row(
            'onboarding_completion_rate', 'onboarding',
            'onboarding_completers', 'onboarding_starters'
        ) }}
    from aggregated
    where onboarding_starters > 0
    union all
    select
        {{ kpi_row('feature_adoption_rate', 'onboarding', 'feature_users', 'active_users') }}
    from aggregated
    where active_users > 0
    union all
    select {{ kpi_row('active_users', 'onboarding', 'active_users', kind='total') }}
    from aggregated
    where event_count > 0
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

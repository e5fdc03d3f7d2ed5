-- Incremental (macros/incremental.sql, README "Incremental builds"): like kpis_sessions, a run
-- recomputes the periods holding a day on or after the first day touched since its last run
-- (events the chain re-sessionised, people whose persona changed, days whose count of session
-- events differs from fact_rows stored) and replaces exactly those periods. Spark: a table.
-- depends_on: {{ ref('int_events_sessionized') }}, {{ ref('kpis_persona_assignments') }}
{{ config(
    materialized=incremental_chain_materialization(),
    incremental_strategy='kpi_periods',
    on_schema_change='fail',
    kpi_incremental={
        'facts_model': 'fct_events',
        'date_column': 'event_date',
        'changed_model': 'int_events_sessionized',
        'changed_column': 'sessionized_at',
        'changed_date': 'cast(occurred_at as date)',
        'facts_filter': 'facts.session_id is not null',
        'count_kpi': 'content_downloads',
        'count_column': 'fact_rows',
    },
) }}
-- Content KPIs of web sessions (long rows of mart_kpi_values): one row per KPI x channel x
-- persona x period. Channel = the channel of the event's session (fct_events.channel), like
-- the session KPIs beside them in the wide marts, persona = the person's persona, date =
-- event_date. Only events inside a session count (every content event of the tracker has
-- one; a server-side event without session has no page and no session channel). Scroll
-- depth of a page view is flagged on the event first; events are then summed per day x
-- channel x persona, and those cells fanned out once to every slice.
with

{%- if is_incremental() %}

    -- The first day touched since the last run (null: nothing to recompute).
    touched as (
        select {{ kpi_touched_from() }} as touched_from
    ),
{%- endif %}

events as (
    select * from {{ ref('fct_events') }}
    {%- if is_incremental() %}
        where {{ kpi_fact_day_touched('event_date', '(select touched_from from touched)') }}
    {%- endif %}
),

people as (
    select * from {{ ref('dim_people') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

session_events as (
    select * from events
    where session_id is not null
),

-- Deepest scroll recorded in a session on a page (credited to each page view of that page in
-- the session).
page_scroll_depths as (
    select
        session_id,
        page_path,
        max(scroll_depth_pct) as max_scroll_depth_pct
    from session_events
    where event_type = 'scroll'
    group by session_id, page_path
),

-- One row per session event with its slice attributes and measures. Persona stays null when
-- the person is missing from dim_people (an upstream defect the not_null tests report).
event_rows as (
    select
        session_events.event_date as activity_date,
        session_events.channel,
        people.persona,
        1 as is_event,
        case when session_events.event_type = 'page_view' then 1 else 0 end as is_page_view,
        case
            when
                session_events.event_type = 'page_view'
                and session_events.engagement_time_s is not null
                then 1
            else 0
        end as is_timed_page_view,
        case
            when session_events.event_type = 'page_view'
                then coalesce(session_events.engagement_time_s, 0)
            else 0
        end as page_view_engagement_s,
        case
            when session_events.event_type = 'page_view'
                then coalesce(page_scroll_depths.max_scroll_depth_pct, 0)
            else 0
        end as page_view_scroll_depth_pct,
        case when session_events.event_type = 'content_download' then 1 else 0 end as is_download,
        case when session_events.event_type = 'content_share' then 1 else 0 end as is_share,
        case when session_events.event_type = 'video_start' then 1 else 0 end as is_video_start,
        case
            when session_events.event_type = 'video_complete' then 1 else 0
        end as is_video_complete
    from session_events
    left join people
        on session_events.person_id = people.person_id
    left join page_scroll_depths
        on
            session_events.session_id = page_scroll_depths.session_id
            and session_events.page_path = page_scroll_depths.page_path
),

-- Every content KPI is a sum: summed once per day x channel x persona, then those cells are
-- fanned out to the slices.
event_cells as (
    {{ kpi_day_cells(
        'event_rows',
        'activity_date',
        [
            'is_event', 'is_page_view', 'is_timed_page_view', 'page_view_engagement_s',
            'page_view_scroll_depth_pct', 'is_download', 'is_share', 'is_video_start',
            'is_video_complete'
        ]
    ) }}
),

event_slices as (
    {{ kpi_slices(
        'event_cells',
        'activity_date',
        [
            'is_event', 'is_page_view', 'is_timed_page_view', 'page_view_engagement_s',
            'page_view_scroll_depth_pct', 'is_download', 'is_share', 'is_video_start',
            'is_video_complete'
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
        sum(is_page_view) as page_views,
        sum(is_timed_page_view) as timed_page_views,
        sum(page_view_engagement_s) as page_view_engagement_s,
        sum(page_view_scroll_depth_pct) as page_view_scroll_depth_pct,
        sum(is_download) as content_download_count,
        sum(is_share) as content_share_count,
        sum(is_video_start) as video_starts,
        sum(is_video_complete) as video_completes
    from event_slices
    group by period_grain, period_start, channel, persona
),

-- Ratio rows exist where the slice has any input (numerator or denominator non-zero): a
-- zero denominator keeps its row with the numerator and a null value, so roll-ups that sum
-- numerators and denominators lose nothing.
final as (
    select
        {{ kpi_row(
            'avg_time_on_page_s', 'consideration', 'page_view_engagement_s', 'timed_page_views'
        ) }},
        event_count as fact_rows
    from aggregated
    where page_view_engagement_s != 0 or timed_page_views != 0
    union all
    select
        {{ kpi_row(
            'avg_scroll_depth_pct', 'consideration', 'page_view_scroll_depth_pct', 'page_views'
        ) }},
        event_count as fact_rows
    from aggregated
    where page_view_scroll_depth_pct != 0 or page_views != 0
    union all
    select
        {{ kpi_row(
            'content_downloads', 'consideration', 'content_download_count', kind='total'
        ) }},
        event_count as fact_rows
    from aggregated
    where event_count > 0
    union all
    select
        {{ kpi_row('content_shares', 'consideration', 'content_share_count', kind='total') }},
        event_count as fact_rows
    from aggregated
    where event_count > 0
    union all
    select
        {{ kpi_row(
            'video_completion_rate', 'consideration', 'video_completes', 'video_starts'
        ) }},
        event_count as fact_rows
    from aggregated
    where video_completes != 0 or video_starts != 0
)

select
    *,
    {{ run_processed_at() }} as computed_at
from final
{%- if is_incremental() %}
    where {{ kpi_period_touched('(select touched_from from touched)') }}
{%- endif %}

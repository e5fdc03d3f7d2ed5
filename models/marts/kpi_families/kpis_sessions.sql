-- Incremental (macros/incremental.sql, README "Incremental builds"): a run recomputes the
-- periods holding a day on or after the first day touched since its last run (kpi_touched_from:
-- sessions the chain rebuilt, people whose persona changed, days that lost sessions) and
-- replaces exactly those periods (strategy kpi_periods). Spark: a full table.
-- depends_on: {{ ref('int_sessions_built') }}, {{ ref('kpis_persona_assignments') }}
{{ config(
    materialized=incremental_chain_materialization(),
    incremental_strategy='kpi_periods',
    on_schema_change='fail',
    kpi_incremental={
        'facts_model': 'fct_sessions',
        'date_column': 'session_date',
        'changed_model': 'int_sessions_built',
        'changed_column': 'built_at',
        'count_kpi': 'sessions',
    },
) }}
-- Session KPIs (long rows of mart_kpi_values): one row per KPI x channel x persona x period.
-- Channel = the session's channel, persona = the person's persona, date = session_date.
-- Additive measures are summed once per day x channel x persona and those cells fanned out to
-- the slices; the visitor KPIs fan out one row per visitor and day to the periods and channel
-- `all` (a visitor's persona is fixed, so persona `all` counts the same visitor rows).
-- Every ratio is computed from the slice's own sums, never re-aggregated.
with

{%- if is_incremental() %}

    -- The first day touched since the last run (null: nothing to recompute).
    touched as (
        select {{ kpi_touched_from() }} as touched_from
    ),
{%- endif %}

sessions as (
    select * from {{ ref('fct_sessions') }}
    {%- if is_incremental() %}
        where {{ kpi_fact_day_touched('session_date', '(select touched_from from touched)') }}
    {%- endif %}
),

people as (
    select * from {{ ref('dim_people') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

-- One row per session with its slice attributes and 0/1 measures. The persona is left null
-- when the person is missing from dim_people (an upstream defect the not_null test reports).
session_rows as (
    select
        sessions.session_id,
        sessions.person_id,
        sessions.channel,
        people.persona,
        sessions.session_date,
        sessions.page_views,
        sessions.events,
        sessions.duration_s,
        case when sessions.is_first_session then 1 else 0 end as is_first_session,
        case when sessions.is_bounced then 1 else 0 end as is_bounced,
        case when sessions.is_engaged then 1 else 0 end as is_engaged,
        case when sessions.has_lead or sessions.has_order then 1 else 0 end as is_lead_or_order,
        case when sessions.has_lead then 1 else 0 end as has_lead,
        case when sessions.is_converting then 1 else 0 end as is_converting,
        case when sessions.has_add_to_cart then 1 else 0 end as has_add_to_cart,
        case
            when sessions.has_add_to_cart and not sessions.has_purchase then 1 else 0
        end as is_cart_abandoned
    from sessions
    left join people
        on sessions.person_id = people.person_id
),

-- Additive measures, summed once per day x channel x persona before the fan-out (every
-- session KPI but the visitor counts is a sum of them).
session_cells as (
    {{ kpi_day_cells(
        'session_rows',
        'session_date',
        [
            'page_views', 'events', 'duration_s', 'is_first_session', 'is_bounced',
            'is_engaged', 'is_lead_or_order', 'is_converting', 'has_add_to_cart',
            'is_cart_abandoned'
        ],
        count_column='sessions'
    ) }}
),

session_cell_slices as (
    {{ kpi_slices(
        'session_cells',
        'session_date',
        [
            'sessions', 'page_views', 'events', 'duration_s', 'is_first_session',
            'is_bounced', 'is_engaged', 'is_lead_or_order', 'is_converting',
            'has_add_to_cart', 'is_cart_abandoned'
        ]
    ) }}
),

-- The visitor counts need each visitor's sessions within the slice: one row per visitor x
-- day x channel (the pre-deduplicated rows) is fanned out to the periods and to channel
-- `all`, then grouped per visitor. The persona is the person's own (from dim_people), the same
-- on every row of the visitor, so the persona roll-up needs no fan-out of its own: the
-- visitor rows are counted once per persona and once for persona `all`.
visitor_days as (
    {{ kpi_day_cells(
        'session_rows', 'session_date', ['has_lead', 'is_converting'], ['person_id'],
        count_column='sessions'
    ) }}
),

visitor_days_with_persona as (
    select
        *,
        persona as visitor_persona
    from visitor_days
),

visitor_day_slices as (
    {{ kpi_slices(
        'visitor_days_with_persona', 'session_date',
        ['person_id', 'visitor_persona', 'sessions', 'has_lead', 'is_converting'],
        slice_personas=false
    ) }}
),

-- One row per visitor x period x channel: sessions of the visitor within it.
visitor_slices as (
    select
        period_grain,
        period_start,
        channel,
        visitor_persona,
        person_id,
        sum(sessions) as sessions,
        sum(is_converting) as converting_sessions,
        sum(has_lead) as lead_sessions
    from visitor_day_slices
    group by period_grain, period_start, channel, visitor_persona, person_id
),

visitor_persona_slices as (
    select
        period_grain,
        period_start,
        channel,
        visitor_persona as persona,
        sessions,
        converting_sessions,
        lead_sessions
    from visitor_slices
    {%- if var('kpi_rollups', true) %}
        union all
        select
            period_grain,
            period_start,
            channel,
            'all' as persona,
            sessions,
            converting_sessions,
            lead_sessions
        from visitor_slices
    {%- endif %}
),

-- Both halves have the same slices (every slice with a session has a visitor, a null
-- person_id counting as one like count(*) did); a union and a group (not a join, which
-- would drop null channels or personas) puts them side by side.
slice_parts as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        sum(sessions) as sessions,
        0 as visitors,
        0 as repeat_visitors,
        0 as converting_visitors,
        0 as lead_visitors,
        sum(page_views) as page_views,
        sum(events) as events,
        sum(duration_s) as duration_s,
        sum(is_first_session) as first_sessions,
        sum(is_bounced) as bounced_sessions,
        sum(is_engaged) as engaged_sessions,
        sum(is_lead_or_order) as lead_or_order_sessions,
        sum(is_converting) as converting_sessions,
        sum(has_add_to_cart) as add_to_cart_sessions,
        sum(is_cart_abandoned) as abandoned_cart_sessions
    from session_cell_slices
    group by period_grain, period_start, channel, persona
    union all
    select
        period_grain,
        period_start,
        channel,
        persona,
        0 as sessions,
        count(*) as visitors,
        {{ flag_count('sessions >= 2') }} as repeat_visitors,
        {{ flag_count('converting_sessions > 0') }} as converting_visitors,
        {{ flag_count('lead_sessions > 0') }} as lead_visitors,
        0 as page_views,
        0 as events,
        0 as duration_s,
        0 as first_sessions,
        0 as bounced_sessions,
        0 as engaged_sessions,
        0 as lead_or_order_sessions,
        0 as converting_sessions,
        0 as add_to_cart_sessions,
        0 as abandoned_cart_sessions
    from visitor_persona_slices
    group by period_grain, period_start, channel, persona
),

aggregated as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        sum(sessions) as sessions,
        sum(visitors) as visitors,
        sum(repeat_visitors) as repeat_visitors,
        sum(converting_visitors) as converting_visitors,
        sum(lead_visitors) as lead_visitors,
        sum(page_views) as page_views,
        sum(events) as events,
        sum(duration_s) as duration_s,
        sum(first_sessions) as first_sessions,
        sum(bounced_sessions) as bounced_sessions,
        sum(engaged_sessions) as engaged_sessions,
        sum(lead_or_order_sessions) as lead_or_order_sessions,
        sum(converting_sessions) as converting_sessions,
        sum(add_to_cart_sessions) as add_to_cart_sessions,
        sum(abandoned_cart_sessions) as abandoned_cart_sessions
    from slice_parts
    group by period_grain, period_start, channel, persona
),

-- traffic_share's denominator: all sessions of the persona and period, i.e. the sum over the
-- channel detail rows (equal to the channel `all` row, and available without roll-ups).
with_channel_totals as (
    select
        *,
        sum(case when channel != 'all' then sessions else 0 end) over (
            partition by period_grain, period_start, persona
        ) as all_channel_sessions
    from aggregated
),

final as (
    select {{ kpi_row('sessions', 'awareness', 'sessions', kind='total') }}
    from with_channel_totals
    union all
    select {{ kpi_row('unique_visitors', 'awareness', 'visitors', kind='total') }}
    from with_channel_totals
    union all
    select {{ kpi_row('traffic_share', 'awareness', 'sessions', 'all_channel_sessions') }}
    from with_channel_totals
    where sessions != 0 or all_channel_sessions != 0
    union all
    select {{ kpi_row('new_visitor_share', 'awareness', 'first_sessions', 'sessions') }}
    from with_channel_totals
    union all
    select {{ kpi_row('bounce_rate', 'consideration', 'bounced_sessions', 'sessions') }}
    from with_channel_totals
    union all
    select {{ kpi_row('engagement_rate', 'consideration', 'engaged_sessions', 'sessions') }}
    from with_channel_totals
    union all
    select {{ kpi_row('avg_session_duration_s', 'consideration', 'duration_s', 'sessions') }}
    from with_channel_totals
    union all
    select {{ kpi_row('pages_per_session', 'consideration', 'page_views', 'sessions') }}
    from with_channel_totals
    union all
    select {{ kpi_row('events_per_session', 'consideration', 'events', 'sessions') }}
    from with_channel_totals
    union all
    select {{ kpi_row('repeat_visit_rate', 'consideration', 'repeat_visitors', 'visitors') }}
    from with_channel_totals
    union all
    select {{ kpi_row('visitor_to_lead_rate', 'consideration', 'lead_visitors', 'visitors') }}
    from with_channel_totals
    union all
    select
        {{ kpi_row(
            'landing_page_conversion_rate', 'consideration', 'lead_or_order_sessions', 'sessions'
        ) }}
    from with_channel_totals
    union all
    select {{ kpi_row('conversion_rate', 'conversion', 'converting_sessions', 'sessions') }}
    from with_channel_totals
    union all
    select
        {{ kpi_row(
            'visitor_conversion_rate', 'conversion', 'converting_visitors', 'visitors'
        ) }}
    from with_channel_totals
    union all
    select
        {{ kpi_row(
            'cart_abandonment_rate', 'conversion',
            'abandoned_cart_sessions', 'add_to_cart_sessions'
        ) }}
    from with_channel_totals
    where abandoned_cart_sessions != 0 or add_to_cart_sessions != 0
)

select
    *,
    {{ run_processed_at() }} as computed_at
from final
{%- if is_incremental() %}
    where {{ kpi_period_touched('(select touched_from from touched)') }}
{%- endif %}

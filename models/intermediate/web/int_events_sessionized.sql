{#- Sessionisation: per person, ordered by occurred_at then event_id, a new session starts
    after more than var session_timeout_minutes without an event, or at an event with a
    source whose (utm_source, utm_medium, external referrer host) differs from the current
    session's. Only "anchors" can start a session: events that carry a source or follow a
    timeout. The current session's source is the source of the previous anchor (every
    sourced event inside a session has the session's source, or it would have started a
    new one; an unsourced anchor starts a session without source). So a lag over the
    anchors alone decides every session start: plain window functions, no recursion, and
    three sorts in all (all events, anchors only, all events). -#}
{#- Incremental (macros/incremental.sql): sessions are per person, so a run re-sessionises
    every event of each person with an event that int_events_stitched (re)computed since this
    model last ran (by stitched_at), under its new person and under the person it had here
    before (a re-stitched anonymous_id moves events between people), and of each person
    that had an event deleted upstream. Session ids and numbers derive from the person's
    events alone, so they come out as a full refresh gives them. -#}
{{ config(
    materialized=incremental_chain_materialization(),
    unique_key='event_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{% if is_incremental() %}{{ delete_rows_missing_from(ref('int_events_stitched'), 'event_id') }}{% endif %}"
) }}
{%- set timeout_seconds = var('session_timeout_minutes', 30) | int * 60 -%}

with

{%- if is_incremental() %}

    changed_events as (
        select
            event_id,
            person_id
        from {{ ref('int_events_stitched') }} as stitched
        where {{ changed_since_last_run('stitched', 'stitched_at', 'sessionized_at') }}
    ),

    affected_people as (
        select person_id from changed_events
        union
        select previous.person_id
        from {{ this }} as previous
        where
            previous.event_id in (select changed.event_id from changed_events as changed)
            or previous.event_id not in (
                select stitched.event_id from {{ ref('int_events_stitched') }} as stitched
            )
    ),
{%- endif %}

events as (
    select * from {{ ref('int_events_stitched') }}
    {%- if is_incremental() %}
        where
            person_id in (select affected.person_id from affected_people as affected)
            or event_id in (select changed.event_id from changed_events as changed)
    {%- endif %}
),

-- Only the columns the windows need: the sorts stay narrow, the wide columns join back.
web_events as (
    select
        event_id,
        person_id,
        occurred_at,
        has_source,
        event_channel,
        {{ dbt.concat([
            "coalesce(utm_source, '')", "'|'",
            "coalesce(utm_medium, '')", "'|'",
            "case when is_external_referrer then referrer_host else '' end",
        ]) }} as source_key,
        lag(occurred_at) over (
            partition by person_id
            order by occurred_at, {{ binary_collation('event_id') }}
        ) as previous_occurred_at
    from events
    where anonymous_id is not null
),

timeouts as (
    select
        *,
        coalesce(
            {{ dbt.datediff('previous_occurred_at', 'occurred_at', 'second') }}
            > {{ timeout_seconds }},
            true
        ) as is_timeout_start
    from web_events
),

anchors as (
    select
        *,
        lag(source_key) over (
            partition by person_id
            order by occurred_at, {{ binary_collation('event_id') }}
        ) as previous_anchor_source_key
    from timeouts
    where is_timeout_start or has_source
),

anchor_starts as (
    select
        event_id,
        person_id,
        occurred_at,
        event_channel,
        (
            is_timeout_start
            or source_key != previous_anchor_source_key
        ) as is_session_start
    from anchors
),

session_flags as (
    select
        event_id,
        person_id,
        occurred_at,
        event_channel,
        is_session_start
    from anchor_starts
    union all
    select
        event_id,
        person_id,
        occurred_at,
        event_channel,
        false as is_session_start
    from timeouts
    where not (is_timeout_start or has_source)
),

session_numbers as (
    select
        *,
        sum(case when is_session_start then 1 else 0 end) over (
            partition by person_id
            order by occurred_at, {{ binary_collation('event_id') }}
            rows between unbounded preceding and current row
        ) as session_number
    from session_flags
),

-- One row per session: its first event gives the id and the channel.
session_heads as (
    select
        person_id,
        session_number,
        event_channel as session_channel,
        {{ dbt.hash(dbt.concat(['person_id', 'event_id'])) }} as session_id
    from session_numbers
    where is_session_start
),

sessionized as (
    select
        session_numbers.event_id,
        session_heads.session_id,
        cast(session_numbers.session_number as {{ dbt.type_bigint() }}) as session_number,
        session_heads.session_channel,
        session_numbers.is_session_start
    from session_numbers
    inner join session_heads
        on
            session_numbers.person_id = session_heads.person_id
            and session_numbers.session_number = session_heads.session_number
),

final as (
    select
        events.*,
        sessionized.session_id,
        sessionized.session_number,
        sessionized.session_channel,
        coalesce(sessionized.is_session_start, false) as is_session_start,
        {{ run_processed_at() }} as sessionized_at
    from events
    left join sessionized
        on events.event_id = sessionized.event_id
)

select * from final

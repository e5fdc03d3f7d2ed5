{#- Sessionisation: per person, ordered by occurred_at then event_id, a new session starts
    after more than var session_timeout_minutes without an event, or at an event with a
    source whose (utm_source, utm_medium, external referrer host) differs from the current
    session's. The current session's source is the source of the latest earlier event that
    either carried a source or started a session on timeout (an "anchor"): every sourced
    event inside a session has the session's source, or it would have started a new one.
    That makes the rule expressible with plain window functions (no recursion). -#}
{%- set timeout_seconds = var('session_timeout_minutes', 30) | int * 60 -%}

with

events as (
    select * from {{ ref('int_events_stitched') }}
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
            order by occurred_at, event_id
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

anchor_groups as (
    select
        *,
        sum(case when is_timeout_start or has_source then 1 else 0 end) over (
            partition by person_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as anchor_group
    from timeouts
),

anchor_sources as (
    select
        *,
        first_value(source_key) over (
            partition by person_id, anchor_group
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as anchor_source_key
    from anchor_groups
),

session_starts as (
    select
        *,
        (
            is_timeout_start
            or (
                has_source
                and source_key != lag(anchor_source_key) over (
                    partition by person_id
                    order by occurred_at, event_id
                )
            )
        ) as is_session_start
    from anchor_sources
),

session_numbers as (
    select
        *,
        sum(case when is_session_start then 1 else 0 end) over (
            partition by person_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from session_starts
),

sessions_assigned as (
    select
        *,
        first_value(event_id) over (
            partition by person_id, session_number
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_first_event_id,
        first_value(event_channel) over (
            partition by person_id, session_number
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_channel,
        row_number() over (
            partition by person_id, session_number
            order by occurred_at, event_id
        ) as session_event_number
    from session_numbers
),

sessionized as (
    select
        event_id,
        {{ dbt.hash(dbt.concat(['person_id', 'session_first_event_id'])) }} as session_id,
        cast(session_number as {{ dbt.type_bigint() }}) as session_number,
        cast(session_event_number as {{ dbt.type_bigint() }}) as session_event_number,
        session_channel,
        is_session_start
    from sessions_assigned
),

final as (
    select
        events.*,
        sessionized.session_id,
        sessionized.session_number,
        sessionized.session_event_number,
        sessionized.session_channel,
        coalesce(sessionized.is_session_start, false) as is_session_start
    from events
    left join sessionized
        on events.event_id = sessionized.event_id
)

select * from final

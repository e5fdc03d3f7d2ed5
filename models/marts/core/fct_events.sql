{#- Incremental (macros/incremental.sql): a run takes the rows of int_events_sessionized that its
    latest run (re)computed (sessionized_at) and deletes the rows whose event_id is gone from it. -#}
{{ config(
    materialized=incremental_chain_materialization(),
    unique_key='event_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{% if is_incremental() %}{{ delete_rows_missing_from(ref('int_events_sessionized'), 'event_id') }}{% endif %}"
) }}

with

events as (
    select * from {{ ref('int_events_sessionized') }}
    {%- if is_incremental() %}
        where sessionized_at = (
            select max(latest.sessionized_at) as latest_at
            from {{ ref('int_events_sessionized') }} as latest
        )
    {%- endif %}
),

final as (
    select
        -- ids
        event_id,
        person_id,
        session_id,
        anonymous_id,
        user_id,
        order_id,
        ticket_id,

        -- strings
        event_type,
        journey_stage,
        session_channel as channel,
        page_path,
        device,
        feature_name,
        content_asset,
        video_id,
        form_id,

        -- numerics
        scroll_depth_pct,
        onboarding_step,
        onboarding_total_steps,
        revenue,
        engagement_time_s,

        -- booleans
        is_engagement_event,
        is_activity_event,
        is_conversion_event,

        -- dates and timestamps
        occurred_at,
        cast(occurred_at as date) as event_date
    from events
)

select * from final

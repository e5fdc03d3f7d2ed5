{#- Incremental (macros/incremental.sql): a run takes the rows of int_sessions_built that its
    latest run (re)computed (built_at) and deletes the rows whose session_id is gone from it. -#}
{{ config(
    materialized=incremental_chain_materialization(),
    unique_key='session_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{% if is_incremental() %}{{ delete_rows_missing_from(ref('int_sessions_built'), 'session_id') }}{% endif %}"
) }}

with

sessions as (
    select * from {{ ref('int_sessions_built') }}
    {%- if is_incremental() %}
        where built_at = (
            select max(latest.built_at) as latest_at from {{ ref('int_sessions_built') }} as latest
        )
    {%- endif %}
),

final as (
    select
        -- ids
        session_id,
        person_id,
        anonymous_id,

        -- strings
        channel,
        source_category,
        utm_source,
        utm_medium,
        utm_campaign,
        landing_page,
        device,

        -- numerics
        session_number,
        page_views,
        events,
        engagement_events,
        duration_s,

        -- booleans
        is_first_session,
        is_engaged,
        is_bounced,
        has_add_to_cart,
        has_purchase,
        has_lead,
        has_order,
        is_converting,

        -- dates and timestamps
        started_at,
        ended_at,
        session_date
    from sessions
)

select * from final

{#- Incremental (macros/incremental.sql): a run rebuilds every session holding an event
    that int_events_sessionized (re)computed since this model last ran (by sessionized_at;
    that model re-sessionises whole people, so a session that lost an event has its other
    events there too), and deletes the sessions no event points to any more. -#}
{{ config(
    materialized=incremental_chain_materialization(),
    unique_key='session_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{% if is_incremental() %}{{ delete_rows_missing_from(ref('int_events_sessionized'), 'session_id') }}{% endif %}"
) }}
{#- Incremental: only the sessions in changed_sessions; a full build: every session. -#}
{%- if is_incremental() -%}
    {%- set changed_sessions_only =
        'session_id in (select changed.session_id from changed_sessions as changed)' -%}
{%- else -%}
    {%- set changed_sessions_only = '1 = 1' -%}
{%- endif %}

with

events as (
    select * from {{ ref('int_events_sessionized') }}
),

{%- if is_incremental() %}

    changed_sessions as (
        select session_id
        from {{ ref('int_events_sessionized') }} as sessionized
        where
            session_id is not null
            and {{ changed_since_last_run('sessionized', 'sessionized_at', 'built_at') }}
        group by session_id
    ),
{%- endif %}

session_events as (
    select * from events
    where
        session_id is not null
        and {{ changed_sessions_only }}
),

-- The landing page: the session's first page view.
landing_pages as (
    select
        session_id,
        page_path as landing_page,
        page_url as landing_page_url
    from (
        select
            session_id,
            page_path,
            page_url,
            row_number() over (
                partition by session_id
                order by occurred_at, {{ binary_collation('event_id') }}
            ) as page_view_number
        from session_events
        where event_type = 'page_view'
    ) as page_views
    where page_view_number = 1
),

sessions_aggregated as (
    select
        session_id,
        min(person_id) as person_id,
        max(case when is_session_start then anonymous_id end) as anonymous_id,
        max(session_channel) as channel,
        max(case when is_session_start then source_category end) as source_category,
        max(case when is_session_start then utm_source end) as utm_source,
        max(case when is_session_start then utm_medium end) as utm_medium,
        max(case when is_session_start then utm_campaign end) as utm_campaign,
        max(case when is_session_start then device end) as device,
        min(session_number) as session_number,
        sum(case when event_type = 'page_view' then 1 else 0 end) as page_views,
        count(*) as events,
        sum(case when is_engagement_event then 1 else 0 end) as engagement_events,
        max(case when event_type = 'add_to_cart' then 1 else 0 end) as add_to_cart_flag,
        max(case when event_type = 'purchase' then 1 else 0 end) as purchase_flag,
        max(case when event_type in ('form_submit', 'signup') then 1 else 0 end) as lead_flag,
        -- a purchase that converts (int_events_stitched.is_converting_purchase decides)
        max(case when is_converting_purchase then 1 else 0 end) as order_flag,
        max(case when is_conversion_event then 1 else 0 end) as conversion_flag,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at
    from session_events
    group by session_id
),

sessions_measured as (
    select
        *,
        {{
            dbt.datediff('started_at', 'ended_at', 'second')
        }} as duration_s,
        conversion_flag = 1 as is_converting
    from sessions_aggregated
),

final as (
    select
        -- ids
        sessions_measured.session_id,
        sessions_measured.person_id,
        sessions_measured.anonymous_id,

        -- strings
        sessions_measured.channel,
        sessions_measured.source_category,
        sessions_measured.utm_source,
        sessions_measured.utm_medium,
        sessions_measured.utm_campaign,
        landing_pages.landing_page,
        landing_pages.landing_page_url,
        sessions_measured.device,

        -- numerics
        cast(sessions_measured.session_number as {{ dbt.type_bigint() }}) as session_number,
        cast(sessions_measured.page_views as {{ dbt.type_bigint() }}) as page_views,
        cast(sessions_measured.events as {{ dbt.type_bigint() }}) as events,
        cast(sessions_measured.engagement_events as {{ dbt.type_bigint() }}) as engagement_events,
        cast(sessions_measured.duration_s as {{ dbt.type_bigint() }}) as duration_s,

        -- booleans
        sessions_measured.session_number = 1 as is_first_session,
        (
            sessions_measured.duration_s >= 10
            or sessions_measured.page_views >= 2
            or sessions_measured.is_converting
        ) as is_engaged,
        (
            sessions_measured.page_views <= 1
            and sessions_measured.engagement_events = 0
        ) as is_bounced,
        sessions_measured.add_to_cart_flag = 1 as has_add_to_cart,
        sessions_measured.purchase_flag = 1 as has_purchase,
        sessions_measured.lead_flag = 1 as has_lead,
        sessions_measured.order_flag = 1 as has_order,
        sessions_measured.is_converting,

        -- dates and timestamps
        cast(sessions_measured.started_at as date) as session_date,
        sessions_measured.started_at,
        sessions_measured.ended_at,
        {{ run_processed_at() }} as built_at
    from sessions_measured
    left join landing_pages
        on sessions_measured.session_id = landing_pages.session_id
)

select * from final

{#- A table, not a view: every raw row is parsed and checked once per build, and the clean
    and rejects views on top are cheap filters (measured: README, "Build time").
    Incremental on DuckDB and PostgreSQL (README, "Incremental builds"; a table on Spark, a
    view when var staging_base_materialization is view): a run re-parses only the raw rows that
    arrived in the window (macro raw_event_in_window) or whose arrival is unknown, with
    every other raw copy of their event_ids, so that the latest copy is ranked among all of
    them. delete+insert on event_id replaces every row of those event_ids; the pre-hook
    deletes the window's rows without an event_id, which no key can match. -#}
{{ config(
    materialized=base_events_materialization(),
    unique_key='event_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    pre_hook="{% if is_incremental() %}{{ delete_keyless_raw_events_in_window() }}{% endif %}"
) }}
{{ demo_seed_dependency('events') }}
{%- set in_window = raw_event_in_window() %}

with

source as (
    select * from {{ source('tracking', 'events') }}
),

conformed as (
    -- every column of the raw contract; an optional one the table lacks is null
    select {{ contract_columns('tracking', 'events') }}
    from source
),

cleaned as (
    select
        -- ids
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('user_id') }} as user_id,

        -- strings
        {{ clean_code('event_type') }} as event_type,
        {{ clean_text('page_url') }} as page_url,
        {{ clean_text('referrer_url') }} as referrer_url,
        {{ clean_code('utm_source') }} as utm_source,
        {{ clean_code('utm_medium') }} as utm_medium,
        {{ clean_text('utm_campaign') }} as utm_campaign,
        {{ clean_text('utm_term') }} as utm_term,
        {{ clean_code('device') }} as device_text,
        {{ clean_text('properties') }} as properties,

        -- timestamps, as text
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ clean_text('_loaded_at') }} as loaded_at_text
    from conformed
),

timestamped as (
    select
        *,
        {{ parse_timestamp('occurred_at_text') }} as occurred_at,
        {{ parse_timestamp('loaded_at_text') }} as loaded_at
    from cleaned
),
{%- if is_incremental() %}

-- Raw rows that arrived in the window, or whose arrival is unknown (re-parsed every run).
    window_event_ids as (
        select event_id
        from timestamped
        where
            event_id is not null
            and {{ in_window }}
        group by event_id
    ),

    -- Those rows, and every other raw copy of their event_ids (ranked together).
    selected as (
        select *
        from timestamped
        where
            {{ in_window }}
            or event_id in (select window_event_ids.event_id from window_event_ids)
    ),
{%- else %}

    selected as (
        select * from timestamped
    ),
{%- endif %}

parsed as (
    select
        *,
        {{ is_json_object('properties') }} as has_valid_properties
    from selected
),

properties_extracted as (
    select
        *,
        -- malformed JSON never reaches a JSON function (DuckDB raises on it): the guard
        -- sits inside the function's argument, where no optimizer can hoist the call
        {%- set valid_properties = 'case when has_valid_properties then properties end' %}
        {%- for key in [
            'depth_pct', 'step', 'total_steps', 'feature', 'ticket_id', 'content_asset',
            'video_id', 'form_id', 'order_id', 'revenue', 'engagement_time_s', 'plan',
            'campaign_id', 'referral_code'
        ] %}
        {{ json_text(valid_properties, key) }} as {{ key }}_text
        {{- ',' if not loop.last }}
    {%- endfor %}
    from parsed
),

ranked as (
    select
        *,
        {{ parse_number('depth_pct_text') }} as scroll_depth_pct,
        -- a row without event_id shares its key with no other row
        case
            when event_id is null then 1
            else {{ load_rank(['event_id'], [
                'event_type', 'occurred_at_text', 'anonymous_id', 'user_id', 'page_url',
                'referrer_url', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term',
                'device_text', 'properties'
            ]) }}
        end as load_rank
    from properties_extracted
),

checked as (
    select
        *,
        case
            when event_id is null then 'missing_event_id'
            when load_rank > 1 then 'duplicate'
            when event_type is null then 'missing_event_type'
            when anonymous_id is null and user_id is null then 'missing_identity'
            when occurred_at_text is null then 'missing_occurred_at'
            when occurred_at is null then 'malformed_occurred_at'
            when occurred_at > {{ future_cutoff() }} then 'future_occurred_at'
            when occurred_at < {{ past_cutoff() }} then 'implausible_past'
            when properties is not null and not has_valid_properties
                then 'malformed_properties'
            when
                event_type = 'scroll'
                and (
                    scroll_depth_pct is null
                    or scroll_depth_pct < 0
                    or scroll_depth_pct > 100
                )
                then 'invalid_scroll_depth'
        end as reject_reason
    from ranked
)

select * from checked

with

checked as (
    select * from {{ ref('base_tracking__events_checked') }}
),

unreadable_lines as (
    -- lines of the raw file that could not be read (macros/raw_contract.sql)
    {{ unreadable_lines('tracking', 'events') }}
),

rejected_rows as (
    select
        -- ids
        event_id,
        anonymous_id,
        user_id,

        -- why
        reject_reason,

        -- raw values (trimmed text)
        event_type,
        occurred_at_text as occurred_at,
        page_url,
        referrer_url,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        device_text as device,
        properties,
        loaded_at_text as loaded_at,

        -- where (unreadable lines only)
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as source_line_number,
        cast(null as {{ dbt.type_string() }}) as raw_line,
        cast(null as {{ dbt.type_string() }}) as read_error
    from checked
    where reject_reason is not null
),

unreadable_rows as (
    select
        -- ids (the line could not be split into values)
        cast(null as {{ dbt.type_string() }}) as event_id,
        cast(null as {{ dbt.type_string() }}) as anonymous_id,
        cast(null as {{ dbt.type_string() }}) as user_id,

        -- why
        'unreadable_line' as reject_reason,

        -- raw values
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_string() }}) as occurred_at,
        cast(null as {{ dbt.type_string() }}) as page_url,
        cast(null as {{ dbt.type_string() }}) as referrer_url,
        cast(null as {{ dbt.type_string() }}) as utm_source,
        cast(null as {{ dbt.type_string() }}) as utm_medium,
        cast(null as {{ dbt.type_string() }}) as utm_campaign,
        cast(null as {{ dbt.type_string() }}) as utm_term,
        cast(null as {{ dbt.type_string() }}) as device,
        cast(null as {{ dbt.type_string() }}) as properties,
        cast(null as {{ dbt.type_string() }}) as loaded_at,

        -- where
        source_file,
        source_line_number,
        raw_line,
        read_error
    from unreadable_lines
),

final as (
    select * from rejected_rows
    union all
    select * from unreadable_rows
)

select * from final

with

checked as (
    select * from {{ ref('base_tracking__events_checked') }}
),

final as (
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
        loaded_at_text as loaded_at
    from checked
    where reject_reason is not null
)

select * from final

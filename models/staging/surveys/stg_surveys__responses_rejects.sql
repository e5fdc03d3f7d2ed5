with

checked as (
    select * from {{ ref('base_surveys__responses_checked') }}
),

final as (
    select
        -- ids
        response_id,
        user_id,

        -- why
        reject_reason,

        -- raw values (trimmed text)
        survey_type,
        survey_channel,
        touchpoint,
        comment,
        score_text as score,
        submitted_at_text as submitted_at,
        loaded_at_text as loaded_at
    from checked
    where reject_reason is not null
)

select * from final

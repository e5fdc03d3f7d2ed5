with

checked as (
    select * from {{ ref('base_surveys__responses_checked') }}
),

final as (
    select
        -- ids
        response_id,
        user_id,

        -- strings
        survey_type,
        survey_channel,
        touchpoint,
        comment,

        -- numerics
        score,

        -- timestamps
        submitted_at,
        loaded_at
    from checked
    where reject_reason is null
)

select * from final

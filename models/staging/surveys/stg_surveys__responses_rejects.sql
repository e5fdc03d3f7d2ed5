with

checked as (
    select * from {{ ref('base_surveys__responses_checked') }}
),

unreadable_lines as (
    -- lines of the raw file that could not be read (macros/raw_contract.sql)
    {{ unreadable_lines('surveys', 'survey_responses') }}
),

rejected_rows as (
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
        cast(null as {{ dbt.type_string() }}) as response_id,
        cast(null as {{ dbt.type_string() }}) as user_id,

        -- why
        'unreadable_line' as reject_reason,

        -- raw values
        cast(null as {{ dbt.type_string() }}) as survey_type,
        cast(null as {{ dbt.type_string() }}) as survey_channel,
        cast(null as {{ dbt.type_string() }}) as touchpoint,
        cast(null as {{ dbt.type_string() }}) as comment,
        cast(null as {{ dbt.type_string() }}) as score,
        cast(null as {{ dbt.type_string() }}) as submitted_at,
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

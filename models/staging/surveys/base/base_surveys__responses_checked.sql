{#- A table, not a view: every raw row is parsed and checked once per build, and the clean
    and rejects views on top are cheap filters (measured: README, "Build time"). -#}
{{ config(materialized=var('staging_base_materialization', 'table')) }}
{{ demo_seed_dependency('survey_responses') }}

with

source as (
    select * from {{ source('surveys', 'survey_responses') }}
),

conformed as (
    -- every column of the raw contract; an optional one the table lacks is null
    select {{ contract_columns('surveys', 'survey_responses') }}
    from source
),

cleaned as (
    select
        -- ids
        {{ clean_text('response_id') }} as response_id,
        {{ clean_text('user_id') }} as user_id,

        -- strings
        {{ clean_code('survey_type') }} as survey_type,
        {{ clean_code('survey_channel') }} as survey_channel,
        {{ clean_code('touchpoint') }} as touchpoint,
        {{ clean_text('comment') }} as comment,

        -- numerics, as text
        {{ clean_text('score') }} as score_text,

        -- timestamps, as text
        {{ clean_text('submitted_at') }} as submitted_at_text,
        {{ clean_text('_loaded_at') }} as loaded_at_text
    from conformed
),

parsed as (
    select
        *,
        {{ parse_integer('score_text') }} as score,
        {{ parse_timestamp('submitted_at_text') }} as submitted_at,
        {{ parse_timestamp('loaded_at_text') }} as loaded_at
    from cleaned
),

ranked as (
    select
        *,
        {{ load_rank(['response_id'], [
            'user_id', 'survey_type', 'survey_channel', 'touchpoint', 'comment',
            'score_text', 'submitted_at_text'
        ]) }} as load_rank
    from parsed
),

checked as (
    select
        *,
        case
            when response_id is null then 'missing_response_id'
            when load_rank > 1 then 'duplicate'
            when user_id is null then 'missing_user_id'
            when
                survey_type is null
                or survey_type not in {{ sql_list(survey_score_ranges().keys()) }}
                then 'unknown_survey_type'
            when score_text is null then 'missing_score'
            when score is null then 'malformed_score'
            when not {{ survey_score_in_range('survey_type', 'score') }}
                then 'score_out_of_range'
            when submitted_at_text is null then 'missing_submitted_at'
            when submitted_at is null then 'malformed_submitted_at'
            when submitted_at > {{ future_cutoff() }} then 'future_submitted_at'
            when submitted_at < {{ past_cutoff() }} then 'implausible_past'
            when
                survey_channel is null
                or survey_channel not in {{ sql_list(survey_channels()) }}
                then 'unknown_survey_channel'
        end as reject_reason
    from ranked
)

select * from checked

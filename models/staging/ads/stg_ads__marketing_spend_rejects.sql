with

checked as (
    select * from {{ ref('base_ads__marketing_spend_checked') }}
),

unreadable_lines as (
    -- lines of the raw file that could not be read (macros/raw_contract.sql)
    {{ unreadable_lines('ads', 'marketing_spend') }}
),

rejected_rows as (
    select
        -- ids
        campaign_id,

        -- why
        reject_reason,

        -- raw values (trimmed text)
        spend_date_text as spend_date,
        channel,
        impressions_text as impressions,
        clicks_text as clicks,
        spend_text as spend,
        avg_position_text as avg_position,
        is_branded_text as is_branded,
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
        cast(null as {{ dbt.type_string() }}) as campaign_id,

        -- why
        'unreadable_line' as reject_reason,

        -- raw values
        cast(null as {{ dbt.type_string() }}) as spend_date,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as {{ dbt.type_string() }}) as impressions,
        cast(null as {{ dbt.type_string() }}) as clicks,
        cast(null as {{ dbt.type_string() }}) as spend,
        cast(null as {{ dbt.type_string() }}) as avg_position,
        cast(null as {{ dbt.type_string() }}) as is_branded,
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

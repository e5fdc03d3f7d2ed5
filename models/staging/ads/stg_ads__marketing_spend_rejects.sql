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
        {%- for column in ['campaign_id'] %}
        cast(null as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}
        'unreadable_line' as reject_reason,
        {%- for column in ['spend_date', 'channel', 'impressions', 'clicks', 'spend', 'avg_position', 'is_branded', 'loaded_at'] %}
        cast(null as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}
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

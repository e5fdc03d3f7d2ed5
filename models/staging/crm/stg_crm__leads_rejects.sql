with

checked as (
    select * from {{ ref('base_crm__leads_checked') }}
),

unreadable_lines as (
    -- lines of the raw file that could not be read (macros/raw_contract.sql)
    {{ unreadable_lines('crm', 'leads') }}
),

rejected_rows as (
    select
        -- ids
        lead_id,
        user_id,

        -- why
        reject_reason,

        -- raw values (trimmed text; the e-mail only as its hash)
        email_hash,
        lead_source,
        job_role,
        company_size,
        industry,
        deal_amount_text as deal_amount,
        created_at_text as created_at,
        mql_at_text as mql_at,
        sql_at_text as sql_at,
        opportunity_at_text as opportunity_at,
        won_at_text as won_at,
        lost_at_text as lost_at,
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
        cast(null as {{ dbt.type_string() }}) as lead_id,
        cast(null as {{ dbt.type_string() }}) as user_id,

        -- why
        'unreadable_line' as reject_reason,

        -- raw values
        cast(null as {{ dbt.type_string() }}) as email_hash,
        cast(null as {{ dbt.type_string() }}) as lead_source,
        cast(null as {{ dbt.type_string() }}) as job_role,
        cast(null as {{ dbt.type_string() }}) as company_size,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as {{ dbt.type_string() }}) as deal_amount,
        cast(null as {{ dbt.type_string() }}) as created_at,
        cast(null as {{ dbt.type_string() }}) as mql_at,
        cast(null as {{ dbt.type_string() }}) as sql_at,
        cast(null as {{ dbt.type_string() }}) as opportunity_at,
        cast(null as {{ dbt.type_string() }}) as won_at,
        cast(null as {{ dbt.type_string() }}) as lost_at,
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

with

checked as (
    select * from {{ ref('base_crm__leads_checked') }}
),

final as (
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
        loaded_at_text as loaded_at
    from checked
    where reject_reason is not null
)

select * from final

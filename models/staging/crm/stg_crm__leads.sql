with

checked as (
    select * from {{ ref('base_crm__leads_checked') }}
),

final as (
    select
        -- ids
        lead_id,
        user_id,

        -- strings
        email_hash,
        coalesce(lead_source, 'unknown') as lead_source,
        coalesce(job_role, 'unknown') as job_role,
        case
            when company_size in {{ sql_list(company_size_bands()) }}
                then company_size
            else 'unknown'
        end as company_size,
        coalesce(industry, 'unknown') as industry,

        -- numerics
        deal_amount,

        -- timestamps
        created_at,
        mql_at,
        sql_at,
        opportunity_at,
        won_at,
        lost_at,
        loaded_at
    from checked
    where reject_reason is null
)

select * from final

with

leads as (
    select * from {{ ref('int_leads_scored') }}
),

final as (
    select
        lead_id,
        person_id,
        lead_source,
        job_role,
        company_size,
        industry,
        lead_score,
        lead_score_band,
        is_mql,
        is_sql,
        is_won,
        is_lost,
        deal_amount,
        first_visit_at,
        created_at,
        mql_reached_at,
        sql_at,
        opportunity_at,
        won_at,
        lost_at,
        created_date
    from leads
)

select * from final

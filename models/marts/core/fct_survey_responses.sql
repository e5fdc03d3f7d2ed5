with

responses as (
    select * from {{ ref('stg_surveys__responses') }}
),

final as (
    select
        response_id,
        user_id as person_id,
        survey_type,
        survey_channel,
        touchpoint,
        score,
        case
            when survey_type = 'nps' then {{ nps_band('score') }}
        end as nps_band,
        case
            when survey_type = 'csat' and score between 4 and 5 then true
            when survey_type = 'csat' then false
        end as is_csat_satisfied,
        case
            when survey_type = 'brand_recall' and score = 1 then true
            when survey_type = 'brand_recall' then false
        end as is_brand_recalled,
        comment,
        submitted_at,
        cast(submitted_at as date) as submitted_date
    from responses
)

select * from final

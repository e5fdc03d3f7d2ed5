-- One row per survey KPI x channel x persona x period grain x period start: nps, csat,
-- customer_effort_score, review_rating, review_count and brand_recall_rate. Answers are dated
-- by their submitted date and sliced by the respondent's acquisition channel and persona.
-- Every answer counts (a person answering twice counts twice).
with

responses as (
    select * from {{ ref('fct_survey_responses') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

answers as (
    select
        responses.response_id,
        responses.submitted_date,
        {{ attributed_channel('people.acquisition_channel') }} as channel,
        coalesce(people.persona, 'unassigned') as persona,
        case when responses.survey_type = 'nps' then 1 else 0 end as is_nps,
        case when responses.nps_band = 'promoter' then 1 else 0 end as is_promoter,
        case when responses.nps_band = 'detractor' then 1 else 0 end as is_detractor,
        case when responses.survey_type = 'csat' then 1 else 0 end as is_csat,
        case when responses.is_csat_satisfied then 1 else 0 end as is_csat_satisfied,
        case when responses.survey_type = 'ces' then 1 else 0 end as is_ces,
        case when responses.survey_type = 'ces' then responses.score else 0 end as ces_score,
        case when responses.survey_type = 'review' then 1 else 0 end as is_review,
        case
            when responses.survey_type = 'review' then responses.score else 0
        end as review_score,
        case when responses.survey_type = 'brand_recall' then 1 else 0 end as is_brand_recall,
        case when responses.is_brand_recalled then 1 else 0 end as is_brand_recalled
    from responses
    left join people
        on responses.person_id = people.person_id
),

-- Every survey KPI is a sum: answers summed once per day x channel x persona, and those cells
-- fanned out to their periods and slices.
answer_cells as (
    {{ kpi_day_cells('answers', 'submitted_date', [
        'is_nps', 'is_promoter', 'is_detractor', 'is_csat', 'is_csat_satisfied', 'is_ces',
        'ces_score', 'is_review', 'review_score', 'is_brand_recall', 'is_brand_recalled',
    ]) }}
),

sliced as (
    {{ kpi_slices('answer_cells', 'submitted_date', [
        'is_nps', 'is_promoter', 'is_detractor', 'is_csat', 'is_csat_satisfied', 'is_ces',
        'ces_score', 'is_review', 'review_score', 'is_brand_recall', 'is_brand_recalled',
    ]) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        sum(is_nps) as nps_answers,
        sum(is_promoter) as promoters,
        sum(is_detractor) as detractors,
        sum(is_csat) as csat_answers,
        sum(is_csat_satisfied) as csat_satisfied,
        sum(is_ces) as ces_answers,
        sum(ces_score) as ces_score_sum,
        sum(is_review) as review_answers,
        sum(review_score) as review_score_sum,
        sum(is_brand_recall) as brand_recall_answers,
        sum(is_brand_recalled) as brand_recalled
    from sliced
    group by period_grain, period_start, channel, persona
),

final as (
    select
        {{ kpi_row(
            'nps', 'advocacy', nps_numerator('promoters', 'detractors'), 'nps_answers'
        ) }}
    from aggregated
    union all
    select {{ kpi_row('csat', 'retention', 'csat_satisfied', 'csat_answers') }}
    from aggregated
    union all
    select
        {{ kpi_row('customer_effort_score', 'retention', 'ces_score_sum', 'ces_answers') }}
    from aggregated
    union all
    select {{ kpi_row('review_rating', 'advocacy', 'review_score_sum', 'review_answers') }}
    from aggregated
    union all
    select {{ kpi_row('review_count', 'advocacy', 'review_answers', kind='total') }}
    from aggregated
    where review_answers > 0
    union all
    select
        {{ kpi_row(
            'brand_recall_rate', 'awareness', 'brand_recalled', 'brand_recall_answers'
        ) }}
    from aggregated
)

select * from final

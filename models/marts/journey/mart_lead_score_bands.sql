-- One row per lead-score band x month of the lead cohort (leads created in the month): how
-- many leads of each band became MQL, SQL and won, to date. The won share per band validates
-- the scoring rules (seed lead_scoring_rules): higher bands should win more often.
{%- set band_labels = lead_score_band_labels() %}

with

leads as (
    select * from {{ ref('fct_leads') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

lead_months as (
    select
        leads.lead_id,
        leads.lead_score_band,
        leads.lead_score,
        leads.is_mql,
        leads.is_sql,
        leads.is_won,
        dates.month_start_date
    from leads
    inner join dates
        on leads.created_date = dates.date_day
),

band_months as (
    select
        lead_score_band,
        month_start_date,
        count(*) as leads,
        {{ flag_count('is_mql') }} as mql_leads,
        {{ flag_count('is_sql') }} as sql_leads,
        {{ flag_count('is_won') }} as won_leads,
        avg(lead_score) as average_lead_score
    from lead_months
    group by 1, 2
),

final as (
    select
        cast(lead_score_band as {{ dbt.type_string() }}) as lead_score_band,
        cast(case lead_score_band
            {%- for label in band_labels %}
                when '{{ label }}' then {{ loop.index }}
            {%- endfor %}
        end as {{ dbt.type_bigint() }}) as lead_score_band_order,
        cast(month_start_date as date) as month_start_date,
        cast(leads as {{ dbt.type_bigint() }}) as leads,
        cast(mql_leads as {{ dbt.type_bigint() }}) as mql_leads,
        cast(sql_leads as {{ dbt.type_bigint() }}) as sql_leads,
        cast(won_leads as {{ dbt.type_bigint() }}) as won_leads,
        cast(average_lead_score as {{ journey_kpis.type_double() }}) as average_lead_score,
        {{ safe_divide('won_leads', 'leads') }} as lead_score_band_conversion_rate
    from band_months
)

select * from final

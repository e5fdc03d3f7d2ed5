-- KPIs of CRM leads, one long row per kpi x channel x persona x period grain x period start
-- (columns of mart_kpi_values). Cohort = leads created in the period (created_date): every
-- funnel rate compares stages reached, to date, by the leads of that cohort. Channel = the
-- acquisition channel of the lead's person, persona = dim_people.persona. Every ratio has a
-- row in every slice with a lead, also when its denominator is 0 (value null), so sums of
-- numerators and denominators over periods and slices lose nothing.
with

leads as (
    select * from {{ ref('fct_leads') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

lead_facts as (
    select
        leads.lead_id,
        {{ attributed_channel('people.acquisition_channel') }} as channel,
        coalesce(people.persona, 'unassigned') as persona,
        leads.lead_score,
        leads.deal_amount,
        leads.is_mql,
        leads.is_sql,
        leads.is_won,
        leads.created_date
    from leads
    left join people
        on leads.person_id = people.person_id
),

lead_slices as (
    {{ kpi_slices(
        'lead_facts', 'created_date',
        ['lead_score', 'deal_amount', 'is_mql', 'is_sql', 'is_won']
    ) }}
),

lead_periods as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        count(*) as leads,
        coalesce(sum(lead_score), 0) as lead_score,
        count(lead_score) as scored_leads,
        {{ flag_count('is_mql') }} as mql_leads,
        {{ flag_count('is_sql') }} as sql_leads,
        {{ flag_count('is_mql and is_sql') }} as mql_leads_reaching_sql,
        {{ flag_count('is_sql and is_won') }} as sql_leads_won,
        {{ flag_count('is_won') }} as won_leads,
        coalesce(sum(case when is_won then deal_amount end), 0) as won_deal_amount,
        {{ flag_count('is_won and deal_amount is not null') }} as won_leads_with_amount
    from lead_slices
    group by 1, 2, 3, 4
),

final as (
    select {{ kpi_row('lead_score', 'consideration', 'lead_score', 'scored_leads') }}
    from lead_periods
    union all
    select {{ kpi_row('mql_count', 'consideration', 'mql_leads', kind='total') }}
    from lead_periods
    union all
    select {{ kpi_row('lead_to_mql_rate', 'conversion', 'mql_leads', 'leads') }}
    from lead_periods
    union all
    select
        {{ kpi_row('mql_to_sql_rate', 'conversion', 'mql_leads_reaching_sql', 'mql_leads') }}
    from lead_periods
    union all
    select {{ kpi_row('lead_to_sql_rate', 'conversion', 'sql_leads', 'leads') }}
    from lead_periods
    union all
    select {{ kpi_row('sql_to_won_rate', 'conversion', 'sql_leads_won', 'sql_leads') }}
    from lead_periods
    union all
    select
        {{ kpi_row('lead_score_band_conversion_rate', 'conversion', 'won_leads', 'leads') }}
    from lead_periods
    union all
    select
        {{ kpi_row(
            'average_deal_size', 'conversion', 'won_deal_amount', 'won_leads_with_amount'
        ) }}
    from lead_periods
)

select * from final

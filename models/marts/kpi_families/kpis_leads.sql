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
        case when leads.lead_score is not null then 1 else 0 end as is_scored,
        case when leads.is_mql then 1 else 0 end as is_mql,
        case when leads.is_sql then 1 else 0 end as is_sql,
        case when leads.is_mql and leads.is_sql then 1 else 0 end as is_mql_reaching_sql,
        case when leads.is_sql and leads.is_won then 1 else 0 end as is_sql_won,
        case when leads.is_won then 1 else 0 end as is_won,
        case when leads.is_won then leads.deal_amount end as won_deal_amount,
        case
            when leads.is_won and leads.deal_amount is not null then 1 else 0
        end as is_won_with_amount,
        leads.created_date
    from leads
    left join people
        on leads.person_id = people.person_id
),

-- Every lead KPI is a sum of per-lead 0/1 flags and amounts: summed once per day x channel x
-- persona, and those cells fanned out to their periods and slices.
lead_cells as (
    {{ kpi_day_cells(
        'lead_facts', 'created_date',
        [
            'lead_score', 'is_scored', 'is_mql', 'is_sql', 'is_mql_reaching_sql', 'is_sql_won',
            'is_won', 'won_deal_amount', 'is_won_with_amount'
        ],
        count_column='leads'
    ) }}
),

lead_slices as (
    {{ kpi_slices(
        'lead_cells', 'created_date',
        [
            'leads', 'lead_score', 'is_scored', 'is_mql', 'is_sql', 'is_mql_reaching_sql',
            'is_sql_won', 'is_won', 'won_deal_amount', 'is_won_with_amount'
        ]
    ) }}
),

lead_periods as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        sum(leads) as leads,
        coalesce(sum(lead_score), 0) as lead_score,
        sum(is_scored) as scored_leads,
        sum(is_mql) as mql_leads,
        sum(is_sql) as sql_leads,
        sum(is_mql_reaching_sql) as mql_leads_reaching_sql,
        sum(is_sql_won) as sql_leads_won,
        sum(is_won) as won_leads,
        coalesce(sum(won_deal_amount), 0) as won_deal_amount,
        sum(is_won_with_amount) as won_leads_with_amount
    from lead_slices
    group by period_grain, period_start, channel, persona
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

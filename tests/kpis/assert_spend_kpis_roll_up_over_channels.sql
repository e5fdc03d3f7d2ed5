-- The spend KPIs roll up over channels: for every grain and period, the numerators and the
-- denominators of the channel rows sum to those of the `all` row (CAC: all spend / all new
-- customers; ROAS and ROI: the paid channels pooled, since only they have rows). A row
-- dropped for a zero denominator, or an `all` row built from revenue no channel row holds
-- (total revenue in ROAS), breaks the sum. marketing_efficiency_ratio, the blended total
-- revenue / total spend, has channel `all` only. Without var kpi_rollups there is no `all`
-- row to compare with.
with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

spend_kpis as (
    select *
    from kpi_values
    where
        kpi_name in ('customer_acquisition_cost', 'return_on_ad_spend', 'marketing_roi')
        and persona = 'all'
        and {{ 'true' if var('kpi_rollups', true) else 'false' }}
),

sums as (
    select
        kpi_name,
        period_grain,
        period_start,
        sum(case when channel <> 'all' then numerator else 0 end) as channel_numerator,
        sum(case when channel <> 'all' then denominator else 0 end) as channel_denominator,
        sum(case when channel = 'all' then numerator else 0 end) as all_numerator,
        sum(case when channel = 'all' then denominator else 0 end) as all_denominator
    from spend_kpis
    group by 1, 2, 3
),

blended_channel_rows as (
    select
        kpi_name,
        period_grain,
        period_start,
        0 as channel_numerator,
        0 as channel_denominator,
        0 as all_numerator,
        0 as all_denominator
    from kpi_values
    where
        kpi_name = 'marketing_efficiency_ratio'
        and (channel <> 'all' or persona <> 'all')
),

final as (
    select * from sums
    where
        abs(channel_numerator - all_numerator) > 1e-6 * (1 + abs(all_numerator))
        or abs(channel_denominator - all_denominator) > 1e-6 * (1 + abs(all_denominator))
    union all
    select * from blended_channel_rows
)

select * from final

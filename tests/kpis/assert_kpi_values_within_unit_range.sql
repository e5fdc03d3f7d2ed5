-- Every KPI value lies within the range of its unit (seed kpi_definitions): fractions and
-- rates 0..1, NPS -100..100, scores on their scale, counts and money non-negative; and every
-- ratio's value is its numerator / denominator (null, with the numerator kept, when the
-- denominator is 0: such rows are kept so that roll-ups lose nothing).
with

definitions as (
    select * from {{ ref('kpi_definitions') }}
),

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

checked as (
    select
        kpi_values.kpi_name,
        kpi_values.channel,
        kpi_values.persona,
        kpi_values.period_grain,
        kpi_values.period_start,
        kpi_values.numerator,
        kpi_values.denominator,
        kpi_values.value,
        definitions.kind,
        definitions.unit,
        case
            when definitions.unit = 'fraction' then kpi_values.value between 0 and 1
            when definitions.unit = 'score_nps' then kpi_values.value between -100 and 100
            when definitions.unit = 'score_1_5' then kpi_values.value between 1 and 5
            when definitions.unit = 'score_1_7' then kpi_values.value between 1 and 7
            when definitions.unit = 'score_0_100' then kpi_values.value between 0 and 100
            when definitions.unit = 'percent' then kpi_values.value between 0 and 100
            when definitions.unit = 'position' then kpi_values.value >= 1
            when definitions.unit in ('signed_multiple', 'points') then true
            else kpi_values.value >= 0
        end as is_value_in_range,
        case
            when definitions.kind = 'ratio' and kpi_values.denominator = 0
                then kpi_values.value is null and kpi_values.numerator is not null
            when definitions.kind = 'ratio'
                then
                    kpi_values.denominator > 0
                    and abs(kpi_values.value - kpi_values.numerator / kpi_values.denominator)
                    <= 1e-9 * (1 + abs(kpi_values.value))
            when definitions.kind = 'total'
                then kpi_values.denominator is null and kpi_values.value = kpi_values.numerator
            else kpi_values.numerator is null and kpi_values.denominator is null
        end as is_consistent
    from kpi_values
    inner join definitions
        on kpi_values.kpi_name = definitions.kpi_name
)

select *
from checked
where
    not coalesce(is_value_in_range, true)
    or not coalesce(is_consistent, false)

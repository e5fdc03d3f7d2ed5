-- Time and touches from first touch to first completed order (catalog: median and mean), one
-- long row per kpi x channel x persona x period grain x period start (columns of
-- mart_kpi_values), dated at the first completed order. Channel = the customer's acquisition
-- channel, persona = dim_people.persona. A customer with no tracked session before that
-- order has null days and touches (dim_people) and is in neither mean nor median; a slice
-- whose customers are all untracked keeps its mean rows (denominator 0, value null).
with

people as (
    select * from {{ ref('dim_people') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

conversions as (
    select
        person_id,
        acquisition_channel as channel,
        persona,
        days_to_conversion,
        touches_to_conversion,
        cast(first_order_at as date) as first_order_date
    from people
    where first_order_at is not null
),

conversion_slices as (
    {{ kpi_slices(
        'conversions', 'first_order_date', ['days_to_conversion', 'touches_to_conversion']
    ) }}
),

conversion_periods as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        coalesce(sum(days_to_conversion), 0) as days_to_conversion,
        count(days_to_conversion) as conversions_with_days,
        {{ median_of('days_to_conversion') }} as median_days_to_conversion,
        coalesce(sum(touches_to_conversion), 0) as touches_to_conversion,
        count(touches_to_conversion) as conversions_with_touches,
        {{ median_of('touches_to_conversion') }} as median_touches_to_conversion
    from conversion_slices
    group by 1, 2, 3, 4
),

final as (
    select
        {{ kpi_row(
            'time_to_conversion_days', 'conversion',
            'days_to_conversion', 'conversions_with_days'
        ) }}
    from conversion_periods
    union all
    select
        {{ kpi_row(
            'time_to_conversion_days_median', 'conversion', none, none,
            kind='value', value='median_days_to_conversion'
        ) }}
    from conversion_periods
    where conversions_with_days > 0
    union all
    select
        {{ kpi_row(
            'touches_to_conversion', 'conversion',
            'touches_to_conversion', 'conversions_with_touches'
        ) }}
    from conversion_periods
    union all
    select
        {{ kpi_row(
            'touches_to_conversion_median', 'conversion', none, none,
            kind='value', value='median_touches_to_conversion'
        ) }}
    from conversion_periods
    where conversions_with_touches > 0
)

select * from final

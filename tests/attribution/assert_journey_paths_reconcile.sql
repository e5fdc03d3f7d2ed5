-- mart_journey_paths loses no journey: its `all` rows hold every journey of
-- int_attribution_journeys once (journeys), every conversion of int_attribution_touchpoints
-- once (conversions) and all converted revenue (to the cent), and the persona rows sum to
-- the `all` rows.
with

journeys as (
    select * from {{ ref('int_attribution_journeys') }}
),

touchpoints as (
    select * from {{ ref('int_attribution_touchpoints') }}
),

paths as (
    select * from {{ ref('mart_journey_paths') }}
),

conversions as (
    select distinct
        conversion_id,
        conversion_revenue
    from touchpoints
),

journey_totals as (
    select count(distinct journey_id) as journeys
    from journeys
),

conversion_totals as (
    select
        count(*) as conversions,
        coalesce(sum(conversion_revenue), 0) as revenue
    from conversions
),

expected as (
    select
        journey_totals.journeys,
        conversion_totals.conversions,
        conversion_totals.revenue
    from journey_totals
    cross join conversion_totals
),

path_totals as (
    select
        case when persona = 'all' then 'all' else 'personas' end as slice,
        sum(journeys) as journeys,
        sum(conversions) as conversions,
        sum(revenue) as revenue
    from paths
    group by 1
),

final as (
    select
        path_totals.slice,
        path_totals.journeys,
        expected.journeys as expected_journeys,
        path_totals.conversions,
        expected.conversions as expected_conversions,
        path_totals.revenue,
        expected.revenue as expected_revenue
    from expected
    left join path_totals
        on 1 = 1
    where
        (path_totals.slice is null and expected.journeys > 0)
        or path_totals.journeys <> expected.journeys
        or path_totals.conversions <> expected.conversions
        or abs(path_totals.revenue - expected.revenue) > 0.005
)

select * from final

{#- One row per journey x touch: every converting journey (a conversion of
    int_attribution_touchpoints with its touches) and every non-converting journey (kpi_catalog
    "Attribution and paths": the data-driven models and the path mart need the journeys that
    did not convert too). A person's non-converting journey is their sessions after their last
    conversion (all their sessions when they never converted), restricted to the window of
    var attribution_lookback_days that ends at the start of their last such session: the
    same window a conversion at that moment would look back over. Sessions that lie between
    two conversions and outside the next conversion's window belong to no journey. -#}
{%- set lookback_days = var('attribution_lookback_days', 30) | int -%}

with

touchpoints as (
    select * from {{ ref('int_attribution_touchpoints') }}
),

sessions as (
    select * from {{ ref('int_sessions_built') }}
),

last_conversions as (
    select
        person_id,
        max(converted_at) as last_converted_at
    from touchpoints
    where person_id is not null
    group by 1
),

open_sessions as (
    select
        sessions.person_id,
        sessions.session_id,
        sessions.channel,
        sessions.utm_campaign as campaign,
        sessions.landing_page,
        sessions.started_at
    from sessions
    left join last_conversions
        on sessions.person_id = last_conversions.person_id
    where
        last_conversions.last_converted_at is null
        or sessions.started_at > last_conversions.last_converted_at
),

open_sessions_ended as (
    select
        *,
        max(started_at) over (partition by person_id) as ended_at
    from open_sessions
),

open_touches as (
    select
        person_id,
        session_id,
        channel,
        campaign,
        landing_page,
        started_at,
        ended_at,
        -- a double on every engine (Spark would type bigint / 86400.0 as a decimal)
        cast(
            {{ dbt.datediff('started_at', 'ended_at', 'second') }}
            as {{ type_double() }}
        ) / 86400 as days_before_end
    from open_sessions_ended
    where started_at >= {{ dbt.dateadd('day', -lookback_days, 'ended_at') }}
),

open_journeys as (
    select
        {{ dbt.concat(["'open:'", 'person_id']) }} as journey_id,
        person_id,
        cast(null as {{ dbt.type_string() }}) as conversion_id,
        cast(null as {{ dbt.type_string() }}) as conversion_type,
        false as is_converting,
        session_id,
        channel,
        campaign,
        landing_page,
        row_number() over (
            partition by person_id
            order by started_at, {{ binary_collation('session_id') }}
        ) as touch_position,
        count(*) over (partition by person_id) as touch_count,
        days_before_end,
        cast(0 as {{ dbt.type_numeric() }}) as journey_revenue,
        ended_at,
        started_at as touched_at
    from open_touches
),

converting_journeys as (
    select
        conversion_id as journey_id,
        person_id,
        conversion_id,
        conversion_type,
        true as is_converting,
        session_id,
        channel,
        campaign,
        landing_page,
        touch_position,
        touch_count,
        days_before_conversion as days_before_end,
        conversion_revenue as journey_revenue,
        converted_at as ended_at,
        touched_at
    from touchpoints
),

journeys as (
    select * from converting_journeys
    union all
    select * from open_journeys
),

final as (
    select
        -- ids
        journey_id,
        person_id,
        conversion_id,
        session_id,

        -- strings
        conversion_type,
        channel,
        campaign,
        landing_page,

        -- numerics
        cast(touch_position as {{ dbt.type_bigint() }}) as touch_position,
        cast(touch_count as {{ dbt.type_bigint() }}) as touch_count,
        cast(days_before_end as {{ type_double() }}) as days_before_end,
        cast(journey_revenue as {{ dbt.type_numeric() }}) as journey_revenue,

        -- booleans
        is_converting,

        -- timestamps
        ended_at,
        touched_at
    from journeys
)

select * from final

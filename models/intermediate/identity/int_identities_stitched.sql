with

events as (
    select * from {{ ref('stg_tracking__events') }}
),

anonymous_ids as (
    select anonymous_id
    from events
    where anonymous_id is not null
    group by anonymous_id
),

identifications as (
    select
        anonymous_id,
        user_id,
        occurred_at,
        row_number() over (
            partition by anonymous_id
            order by occurred_at, {{ binary_collation('event_id') }}
        ) as identification_rank
    from events
    where
        anonymous_id is not null
        and user_id is not null
),

first_identifications as (
    select
        anonymous_id,
        user_id,
        occurred_at as identified_at
    from identifications
    where identification_rank = 1
),

final as (
    select
        anonymous_ids.anonymous_id,
        coalesce(first_identifications.user_id, anonymous_ids.anonymous_id) as person_id,
        coalesce(first_identifications.user_id is not null, false) as is_identified,
        first_identifications.identified_at
    from anonymous_ids
    left join first_identifications
        on anonymous_ids.anonymous_id = first_identifications.anonymous_id
)

select * from final

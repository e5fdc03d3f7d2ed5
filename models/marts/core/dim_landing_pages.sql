with

sessions as (
    select * from {{ ref('int_sessions_built') }}
),

landings as (
    select
        landing_page,
        landing_page_url,
        started_at,
        row_number() over (
            partition by landing_page
            order by started_at, {{ binary_collation('session_id') }}
        ) as landing_number
    from sessions
    where landing_page is not null
),

final as (
    select
        landing_page,
        landing_page_url as page_url_example,
        started_at as first_seen_at
    from landings
    where landing_number = 1
)

select * from final

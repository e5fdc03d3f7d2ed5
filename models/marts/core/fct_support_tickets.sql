with

events as (
    select * from {{ ref('int_events_stitched') }}
),

ticket_events as (
    select
        ticket_id,
        person_id,
        event_type,
        event_id,
        occurred_at
    from events
    where
        event_type in ('support_ticket_opened', 'support_ticket_resolved')
        and ticket_id is not null
),

-- The first opening of each ticket (its person is the person who opened it).
openings as (
    select
        ticket_id,
        person_id,
        occurred_at as opened_at
    from (
        select
            ticket_id,
            person_id,
            occurred_at,
            row_number() over (
                partition by ticket_id
                order by occurred_at, {{ binary_collation('event_id') }}
            ) as opening_number
        from ticket_events
        where event_type = 'support_ticket_opened'
    ) as opening_events
    where opening_number = 1
),

-- The first resolution at or after the opening (an earlier one is ignored).
resolutions as (
    select
        openings.ticket_id,
        min(ticket_events.occurred_at) as resolved_at
    from openings
    inner join ticket_events
        on
            openings.ticket_id = ticket_events.ticket_id
            and ticket_events.event_type = 'support_ticket_resolved'
            and openings.opened_at <= ticket_events.occurred_at
    group by openings.ticket_id
),

final as (
    select
        openings.ticket_id,
        openings.person_id,
        openings.opened_at,
        resolutions.resolved_at,
        resolutions.resolved_at is not null as is_resolved,
        cast(
            {{ dbt.datediff('openings.opened_at', 'resolutions.resolved_at', 'second') }}
            / 3600.0 as {{ dbt.type_numeric() }}
        ) as resolution_hours,
        cast(openings.opened_at as date) as opened_date
    from openings
    left join resolutions
        on openings.ticket_id = resolutions.ticket_id
)

select * from final

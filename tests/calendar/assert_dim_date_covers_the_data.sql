-- dim_date covers the data: every table's first and latest clean date and the as-of date lie
-- inside it, and it holds every day between its first and last day exactly once (no gap: a
-- range longer than the spine macro can generate would be cut short). One row per problem.
with

dates as (
    select * from {{ ref('dim_date') }}
),

source_records as (
    select * from {{ ref('int_source_records_summarized') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

calendar_span as (
    select
        min(date_day) as first_day,
        max(date_day) as last_day,
        count(*) as day_count,
        count(distinct date_day) as distinct_days
    from dates
),

needed_dates as (
    select
        {{ dbt.concat(['source_table', "' first date'"]) }} as needed_for,
        first_date as needed_date
    from source_records
    where record_type = 'all'
    union all
    select
        {{ dbt.concat(['source_table', "' latest date'"]) }} as needed_for,
        latest_date as needed_date
    from source_records
    where record_type = 'all'
    union all
    select
        'as-of date' as needed_for,
        as_of_date as needed_date
    from as_of
),

uncovered as (
    select
        needed_dates.needed_for as problem,
        needed_dates.needed_date as problem_date
    from needed_dates
    cross join calendar_span
    where
        calendar_span.first_day is null
        or needed_dates.needed_date < calendar_span.first_day
        or needed_dates.needed_date > calendar_span.last_day
),

span_lengths as (
    select
        last_day,
        day_count,
        distinct_days,
        {{
            dbt.datediff('first_day', 'last_day', 'day')
        }} + 1 as span_days
    from calendar_span
),

gaps as (
    select
        'days missing or repeated between first_day and last_day' as problem,
        last_day as problem_date
    from span_lengths
    where
        day_count != distinct_days
        or day_count != span_days
)

select * from uncovered
union all
select * from gaps

{#- The calendar spans the data: from the Monday of the ISO week holding January 1 of the
    first year with data (or of the as-of date, when earlier) to December 31 of the year after
    the last year with data (or of the as-of date, when later). Vars date_spine_start and
    date_spine_end, when set ('YYYY-MM-DD'), override either bound. -#}
{%- set spine_start = var('date_spine_start', '') | string -%}
{%- set spine_end = var('date_spine_end', '') | string -%}
{%- if spine_start -%}
    {%- set start_expression = "cast('" ~ spine_start ~ "' as date)" -%}
{%- else -%}
    {%- set start_expression = 'first_week_start' -%}
{%- endif -%}
{%- if spine_end -%}
    {%- set end_expression = "cast('" ~ spine_end ~ "' as date)" -%}
{%- else -%}
    {%- set end_expression = 'next_year_end' -%}
{%- endif -%}

with

source_records as (
    select * from {{ ref('int_source_records_summarized') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

data_range as (
    select
        min(first_date) as first_data_date,
        max(latest_date) as latest_data_date
    from source_records
    where record_type = 'all'
),

-- The as-of date always exists (int_as_of_date has one row, its date never null), so the
-- calendar is never empty, even without data.
covered_range as (
    select
        case
            when
                data_range.first_data_date is null
                or as_of.as_of_date < data_range.first_data_date
                then as_of.as_of_date
            else data_range.first_data_date
        end as first_date,
        case
            when
                data_range.latest_data_date is null
                or as_of.as_of_date > data_range.latest_data_date
                then as_of.as_of_date
            else data_range.latest_data_date
        end as latest_date
    from as_of
    cross join data_range
),

year_bounds as (
    select
        cast({{ dbt.date_trunc('year', 'first_date') }} as date) as first_year_start,
        cast(
            {{ dbt.dateadd(
                'day', -1, dbt.dateadd('year', 2, dbt.date_trunc('year', 'latest_date'))
            ) }} as date
        ) as next_year_end
    from covered_range
),

-- The Monday of the ISO week holding January 1 of the first year.
calendar_bounds as (
    select
        {{ start_expression }} as start_date,
        {{ end_expression }} as end_date
    from (
        select
            cast(
                {{ dbt.dateadd(
                    'day', '1 - ' ~ iso_weekday('first_year_start'), 'first_year_start'
                ) }} as date
            ) as first_week_start,
            next_year_end
        from year_bounds
    ) as derived_bounds
),

spine as (
    {{ date_spine_days('calendar_bounds', 'start_date', 'end_date') }}
),

days as (
    select
        date_day,
        {{ iso_weekday('date_day') }} as day_of_week_number
    from spine
),

final as (
    select
        date_day,
        cast(
            {{ dbt.dateadd('day', '1 - day_of_week_number', 'date_day') }} as date
        ) as week_start_date,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start_date,
        cast(extract(year from date_day) as integer) as year_number,
        cast(extract(month from date_day) as integer) as month_number,
        cast(day_of_week_number as integer) as day_of_week_number,
        day_of_week_number >= 6 as is_weekend
    from days
)

select * from final

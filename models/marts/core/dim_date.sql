{%- set spine_start = var('date_spine_start') | string -%}
{%- set spine_end = var('date_spine_end') | string -%}

with

spine as (
    {{ date_spine_days(spine_start, spine_end) }}
),

days as (
    select
        date_day,
        mod(day_index + {{ iso_weekday_of(spine_start) - 1 }}, 7) + 1 as day_of_week_number
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

{#- Fails for every period start that does not open its period: a `week` must start on a
    Monday (ISO week), a `month` on the 1st; `day` is always aligned. Pass either the fixed
    `grain` of the column (e.g. month for month_start_date) or the `grain_column` holding it
    per row (period_grain). The Monday check counts days from Monday 1990-01-01, independently
    of dim_date and its weekday macro. -#}
{% test period_start_aligned(model, column_name, grain=none, grain_column=none) %}

{%- if (grain is none) == (grain_column is none) %}
    {{ exceptions.raise_compiler_error(
        "period_start_aligned: pass exactly one of grain and grain_column"
    ) }}
{%- endif %}
{%- set grain_sql = grain_column if grain_column else "'" ~ grain ~ "'" %}

with

periods as (
    select
        {{ grain_sql }} as period_grain,
        {{ column_name }} as period_start
    from {{ model }}
    where {{ column_name }} is not null
)

select
    period_grain,
    period_start
from periods
where
    (
        period_grain = 'week'
        and mod({{ dbt.datediff("cast('1990-01-01' as date)", 'period_start', 'day') }}, 7) <> 0
    )
    or (
        period_grain = 'month'
        and cast({{ dbt.date_trunc('month', 'period_start') }} as date) <> period_start
    )

{% endtest %}

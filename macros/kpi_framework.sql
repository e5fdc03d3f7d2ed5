{#- The machinery every KPI model shares: fan rows out to periods and roll-up slices, and
    write one long KPI row. The formulas themselves are in kpi_formulas.sql. -#}

{% macro type_double() %}
    {{ return(adapter.dispatch('type_double', 'journey_kpis')()) }}
{% endmacro %}

{% macro default__type_double() %}double precision{% endmacro %}

{% macro spark__type_double() %}double{% endmacro %}


{% macro kpi_period_grains() %}
    {#- Period grains the KPI models compute (var kpi_period_grains; default day, week, month). -#}
    {%- set grains = var('kpi_period_grains', ['day', 'week', 'month']) -%}
    {%- for grain in grains if grain not in ['day', 'week', 'month'] -%}
        {{ exceptions.raise_compiler_error(
            "var kpi_period_grains: unknown grain '" ~ grain ~ "' (allowed: day, week, month)"
        ) }}
    {%- endfor -%}
    {{ return(grains) }}
{% endmacro %}


{% macro kpi_slice_grid(slice_channels=true, slice_personas=true) %}
    {#- One row per (period grain x channel detail/roll-up x persona detail/roll-up). -#}
    {%- set rollups = var('kpi_rollups', true) -%}
    {%- set channel_options = ([false, true] if rollups else [false]) if slice_channels else [true] -%}
    {%- set persona_options = ([false, true] if rollups else [false]) if slice_personas else [true] -%}
    {%- set rows = [] -%}
    {%- for grain in kpi_period_grains() -%}
        {%- for all_channels in channel_options -%}
            {%- for all_personas in persona_options -%}
                {%- do rows.append(
                    "select '" ~ grain ~ "' as period_grain, "
                    ~ all_channels ~ " as is_all_channels, "
                    ~ all_personas ~ " as is_all_personas"
                ) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') | lower }}
{% endmacro %}


{% macro kpi_slices(
    relation,
    date_column,
    carry_columns=[],
    channel_column='channel',
    persona_column='persona',
    slice_channels=true,
    slice_personas=true,
    dates_relation='dates'
) %}
    {#- Fan each row of `relation` out to every KPI slice it belongs to: the day, ISO week and
        month holding `date_column` (from the dim_date CTE `dates_relation`), crossed with its
        own channel and `all`, and its own persona and `all`. Aggregating the result by
        (period_grain, period_start, channel, persona) yields every slice and every roll-up in
        one pass, computed from the rows themselves: ratios are never re-aggregated.
        With slice_channels/slice_personas false the column is always `all`. -#}
    select
        slice_grid.period_grain,
        case slice_grid.period_grain
            when 'day' then {{ dates_relation }}.date_day
            when 'week' then {{ dates_relation }}.week_start_date
            else {{ dates_relation }}.month_start_date
        end as period_start,
        {% if slice_channels -%}
        case
            when slice_grid.is_all_channels then 'all'
            else {{ relation }}.{{ channel_column }}
        end as channel,
        {%- else -%}
        'all' as channel,
        {%- endif %}
        {% if slice_personas -%}
        case
            when slice_grid.is_all_personas then 'all'
            else {{ relation }}.{{ persona_column }}
        end as persona
        {%- else -%}
        'all' as persona
        {%- endif %}
        {%- for column in carry_columns %},
        {{ relation }}.{{ column }}
        {%- endfor %}
    from {{ relation }}
    inner join {{ dates_relation }}
        on {{ relation }}.{{ date_column }} = {{ dates_relation }}.date_day
    cross join (
    {{ kpi_slice_grid(slice_channels, slice_personas) }}
    ) as slice_grid
{% endmacro %}


{% macro kpi_row(
    kpi_name,
    journey_stage,
    numerator,
    denominator=none,
    kind='ratio',
    value=none,
    journey_stage_column=none
) %}
    {#- The select list of one row of mart_kpi_values, from a CTE grouped by
        (period_grain, period_start, channel, persona).
        kind 'ratio': value = numerator / denominator (null when the denominator is 0).
        kind 'total': a count or sum; denominator null, value = numerator.
        kind 'value': a statistic that does not decompose (a median, a prediction): pass
        `value`; numerator and denominator are null.
        journey_stage is the KPI's home stage; KPIs measured per stage (funnel drop-off) pass
        the column holding it as journey_stage_column instead. -#}
    cast('{{ kpi_name }}' as {{ dbt.type_string() }}) as kpi_name,
    {% if journey_stage_column -%}
    cast({{ journey_stage_column }} as {{ dbt.type_string() }}) as journey_stage,
    {%- else -%}
    cast('{{ journey_stage }}' as {{ dbt.type_string() }}) as journey_stage,
    {%- endif %}
    channel,
    persona,
    period_grain,
    period_start,
    {%- if kind == 'ratio' %}
    cast({{ numerator }} as {{ type_double() }}) as numerator,
    cast({{ denominator }} as {{ type_double() }}) as denominator,
    {{ safe_divide(numerator, denominator) }} as value
    {%- elif kind == 'total' %}
    cast({{ numerator }} as {{ type_double() }}) as numerator,
    cast(null as {{ type_double() }}) as denominator,
    cast({{ numerator }} as {{ type_double() }}) as value
    {%- elif kind == 'value' %}
    cast(null as {{ type_double() }}) as numerator,
    cast(null as {{ type_double() }}) as denominator,
    cast({{ value }} as {{ type_double() }}) as value
    {%- else %}
    {{ exceptions.raise_compiler_error(
        "kpi_row: kind must be ratio, total or value (got '" ~ kind ~ "' for " ~ kpi_name ~ ")"
    ) }}
    {%- endif %}
{% endmacro %}


{% macro kpi_pivot_columns(kpi_names, value_column='value') %}
    {#- One column per KPI (named after it) holding its value, for wide marts that pivot
        mart_kpi_values grouped by slice and period. -#}
    {%- for kpi_name in kpi_names %}
    max(case when kpi_name = '{{ kpi_name }}' then {{ value_column }} end) as {{ kpi_name }}
    {{- "," if not loop.last }}
    {%- endfor %}
{% endmacro %}


{% macro kpi_stage_mart(journey_stage, kpi_names) %}
    {#- The whole SQL of a wide stage mart: one row per channel x persona x month with one
        column per KPI of the stage, pivoted from mart_kpi_values (so the wide marts cannot
        disagree with the long one). -#}
with

kpi_values as (
    select * from {{ ref('mart_kpi_values') }}
),

final as (
    select
        channel,
        persona,
        period_start as month_start_date,
        {{ kpi_pivot_columns(kpi_names) }}
    from kpi_values
    where
        period_grain = 'month'
        and journey_stage = '{{ journey_stage }}'
        and kpi_name in {{ sql_list(kpi_names) }}
    group by 1, 2, 3
)

select * from final
{% endmacro %}

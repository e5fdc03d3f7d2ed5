{#- Roll-up grid and period end shared by the KPI models that cannot use kpi_slices (which
    fans out to periods as well): models whose rows are not dated by one dim_date day. -#}

{% macro kpi_rollup_grid(slice_channels=true, slice_personas=true, rollups=none) %}
    {#- One row per (channel detail/roll-up x persona detail/roll-up): columns
        is_all_channels and is_all_personas, to cross join and then
        `case when is_all_channels then 'all' else channel end`. rollups defaults to var
        kpi_rollups (true); pass true for marts that always show the `all` rows. With
        slice_channels/slice_personas false that column is always `all`. -#}
    {%- set rollups = var('kpi_rollups', true) if rollups is none else rollups -%}
    {%- set channel_options = ([false, true] if rollups else [false]) if slice_channels else [true] -%}
    {%- set persona_options = ([false, true] if rollups else [false]) if slice_personas else [true] -%}
    {%- set rows = [] -%}
    {%- for all_channels in channel_options -%}
        {%- for all_personas in persona_options -%}
            {%- do rows.append(
                "select " ~ all_channels ~ " as is_all_channels, "
                ~ all_personas ~ " as is_all_personas"
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') | lower }}
{% endmacro %}


{% macro kpi_period_end(period_grain, period_start) %}
    {#- Last day of a day / week / month period starting at period_start (a date). -#}
    case {{ period_grain }}
        when 'day' then {{ period_start }}
        when 'week' then cast({{ dbt.dateadd('day', 6, period_start) }} as date)
        else cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, period_start)) }} as date
        )
    end
{% endmacro %}

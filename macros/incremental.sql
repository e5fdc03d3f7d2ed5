{#- Incremental event and session chain (int_events_stitched -> int_events_sessionized ->
    int_sessions_built -> fct_events, fct_sessions). README, "Incremental builds". -#}

{#- Materialization of the incremental chain: incremental on DuckDB and PostgreSQL; a full
    table on Spark, whose Parquet tables support neither delete+insert nor merge. -#}
{% macro incremental_chain_materialization() -%}
    {{ return('table' if target.type in ('spark', 'databricks') else 'incremental') }}
{%- endmacro %}

{#- When a row arrived: its load time (_loaded_at) when the raw row has one, else when the
    event occurred. -#}
{% macro event_arrival(loaded_at='loaded_at', occurred_at='occurred_at') -%}
    coalesce({{ loaded_at }}, {{ occurred_at }})
{%- endmacro %}

{#- Start of the window of new data an incremental run reprocesses: the latest arrival
    already in `relation`, minus var incremental_lookback_days. -#}
{% macro incremental_window_start(relation) -%}
    {%- set lookback_days = var('incremental_lookback_days', 3) | int -%}
    {{ dbt.dateadd(
        'day',
        -lookback_days,
        '(select max(' ~ event_arrival() ~ ') from ' ~ relation ~ ')'
    ) }}
{%- endmacro %}

{#- The run's timestamp, stamped on every row a model of the chain (re)computes (columns
    stitched_at, sessionized_at, built_at), so that the next model finds the rows that
    changed since its own last run. -#}
{% macro run_processed_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- Rows of `parent` (re)computed since this model last ran: their `parent_column` stamp
    is later than the latest `own_column` stamp in this model's table. -#}
{% macro changed_since_last_run(parent, parent_column, own_column) -%}
    {{ parent }}.{{ parent_column }} > coalesce(
        (select max({{ own_column }}) from {{ this }}),
        cast('1900-01-01' as {{ dbt.type_timestamp() }})
    )
{%- endmacro %}

{#- Pre-hook of int_events_stitched: delete the events whose latest raw copy, arrived in the
    window, was rejected (the latest copy wins, so the event is gone from staging). -#}
{% macro delete_rejected_redeliveries() -%}
    delete from {{ this }}
    where
        event_id in (
            select event_id
            from {{ ref('base_tracking__events_checked') }}
            where
                reject_reason is not null
                and event_id is not null
                and {{ event_arrival() }} >= {{ incremental_window_start(this) }}
        )
        and event_id not in (
            select event_id from {{ ref('stg_tracking__events') }}
        )
{%- endmacro %}

{#- Post-hook: delete the rows of `this` whose key is no longer in `parent` (an event
    deleted upstream, a session merged into another or re-keyed). -#}
{% macro delete_rows_missing_from(parent, key) -%}
    delete from {{ this }}
    where {{ key }} not in (
        select {{ key }} from {{ parent }} where {{ key }} is not null
    )
{%- endmacro %}

{#- Incremental KPI family models (kpis_sessions; README, "Incremental builds"). A run
    recomputes every period (day, week, month) whose range holds a day on or after the first
    touched day: kpi_touched_from() finds that day, the model recomputes those periods from
    its facts, and the strategy kpi_periods deletes exactly those periods before inserting
    them again (a slice that vanished, e.g. a persona with no session left, is deleted too).
    The model's config `kpi_incremental` says where to look (a dict):
      facts_model    the fact model the KPIs count (e.g. fct_sessions)
      date_column    its date column, the KPI day (e.g. session_date)
      changed_model  the chain model whose stamp marks the fact rows (re)computed
                     (e.g. int_sessions_built), with changed_column, the stamp (built_at)
      changed_date   optional: the day of a changed_model row, when it has no date_column
                     (e.g. cast(occurred_at as date))
      facts_filter   optional: the fact rows the KPIs count (e.g. session_id is not null)
      count_kpi      a KPI of the model with a row in every day cell that has fact rows (e.g.
                     sessions), and count_column (default numerator), the column of its rows
                     holding the cell's count of fact rows: the stored day counts are compared
                     with the facts to find deleted rows -#}

{#- The first day whose KPI cells may have changed since this KPI model last ran (its latest
    computed_at): the earliest of the day of a fact row the chain (re)computed since, the
    first fact day of a person whose persona changed since (kpis_persona_assignments), and a
    day whose count of fact rows differs from the count the model stored (rows deleted).
    Null when nothing changed. A scalar subquery. -#}
{% macro kpi_touched_from() -%}
    {%- set spec = config.get('kpi_incremental') -%}
    {%- set last_run = '(select max(computed_at) from ' ~ this ~ ')' -%}
    (
        select min(touched.touched_day)
        from (
            select {{ spec.get('changed_date', spec.date_column) }} as touched_day
            from {{ ref(spec.changed_model) }}
            where {{ spec.changed_column }} > {{ last_run }}
            union all
            select facts.{{ spec.date_column }} as touched_day
            from {{ ref(spec.facts_model) }} as facts
            inner join {{ ref('kpis_persona_assignments') }} as assignments
                on facts.person_id = assignments.person_id
            where
                assignments.assigned_at > {{ last_run }}
                and {{ spec.get('facts_filter', '1 = 1') }}
            union all
            select coalesce(fact_days.fact_day, stored_days.fact_day) as touched_day
            from (
                select
                    facts.{{ spec.date_column }} as fact_day,
                    count(*) as fact_rows
                from {{ ref(spec.facts_model) }} as facts
                inner join {{ ref('dim_date') }} as dates
                    on facts.{{ spec.date_column }} = dates.date_day
                where {{ spec.get('facts_filter', '1 = 1') }}
                group by facts.{{ spec.date_column }}
            ) as fact_days
            full outer join (
                select
                    period_start as fact_day,
                    sum({{ spec.get('count_column', 'numerator') }}) as fact_rows
                from {{ this }}
                where
                    kpi_name = '{{ spec.count_kpi }}'
                    and period_grain = 'day'
                    and coalesce(channel, '') != 'all'
                    and coalesce(persona, '') != 'all'
                group by period_start
            ) as stored_days
                on fact_days.fact_day = stored_days.fact_day
            where coalesce(fact_days.fact_rows, 0) != coalesce(stored_days.fact_rows, 0)
        ) as touched
    )
{%- endmacro %}

{#- Condition: a KPI row's period (period_grain, period_start) holds a day on or after
    `touched_from` (a date expression), i.e. it ends on or after that day. -#}
{% macro kpi_period_touched(touched_from) -%}
    (
        (period_grain = 'day' and period_start >= {{ touched_from }})
        or (
            period_grain = 'week'
            and period_start > {{ dbt.dateadd('day', -7, touched_from) }}
        )
        or (
            period_grain = 'month'
            and period_start > {{ dbt.dateadd('month', -1, touched_from) }}
        )
    )
{%- endmacro %}

{#- Condition on a fact date: the day falls in a period kpi_period_touched recomputes (on or
    after the start of the month or ISO week holding `touched_from`, both later than a month
    before it). -#}
{% macro kpi_fact_day_touched(date_column, touched_from) -%}
    {{ date_column }} > {{ dbt.dateadd('month', -1, touched_from) }}
{%- endmacro %}

{#- Incremental strategy kpi_periods (config incremental_strategy='kpi_periods'): delete
    the target's rows of every period kpi_period_touched(kpi_touched_from()) selects, then
    insert the recomputed rows. kpi_touched_from() reads the same tables as when the model's
    query ran (nothing is written in between), so it gives the same day. -#}
{% macro get_incremental_kpi_periods_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where {{ kpi_period_touched(kpi_touched_from()) }};

    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ arg_dict['temp_relation'] }}
{%- endmacro %}

{#- Incremental base model of the raw events (base_tracking__events_checked). README,
    "Incremental builds". -#}

{#- Materialization of base_tracking__events_checked: a view when var
    staging_base_materialization says so, else as the incremental chain (incremental on
    DuckDB and PostgreSQL, a table on Spark). -#}
{% macro base_events_materialization() -%}
    {%- if var('staging_base_materialization', 'table') == 'view' -%}
        {{ return('view') }}
    {%- endif -%}
    {{ return(incremental_chain_materialization()) }}
{%- endmacro %}

{#- Start of the window of raw event rows that an incremental run of
    base_tracking__events_checked re-parses: the latest arrival of a keyed row already in
    it, minus var incremental_lookback_days. Arrivals after the future cutoff (a load time
    or, without one, an occurrence in the future) do not count, so one bad timestamp cannot
    push the window past all real data; such rows are re-parsed on every run. Null when
    the table holds no keyed row. -#}
{% macro raw_events_window_start() -%}
    {%- set lookback_days = var('incremental_lookback_days', 3) | int -%}
    {%- set latest_arrival -%}
        (
            select max(
                case
                    when {{ event_arrival() }} <= {{ future_cutoff() }}
                        then {{ event_arrival() }}
                end
            )
            from {{ this }}
            where event_id is not null
        )
    {%- endset -%}
    {{ dbt.dateadd('day', -lookback_days, latest_arrival) }}
{%- endmacro %}

{#- True for a raw event row that an incremental run re-parses: it arrived in the window,
    or its arrival is unknown (no _loaded_at and an unparseable occurred_at), or the table
    has no window yet. Reads columns loaded_at and occurred_at (parsed). -#}
{% macro raw_event_in_window() -%}
    coalesce({{ event_arrival() }} >= {{ raw_events_window_start() }}, true)
{%- endmacro %}

{#- Pre-hook of base_tracking__events_checked: delete the window's rows without event_id,
    which the re-parse inserts again and the delete+insert on event_id cannot match. The
    window start reads keyed rows only, so this delete does not move it. -#}
{% macro delete_keyless_raw_events_in_window() -%}
    delete from {{ this }}
    where
        event_id is null
        and {{ raw_event_in_window() }}
{%- endmacro %}

{#- Opt-in: in a daily run, test only the recent rows of the event-grain tables. With var
    incremental_test_days set (default unset: every row is tested), a row-wise generic test
    (recent_rows_tests) on a model whose meta names a `recent_rows_column` reads only the
    rows within that many days of the column's latest value in the table. Otherwise dbt's
    own behaviour: the test's `where` config, if any. README, "Incremental builds". -#}
{% macro recent_rows_tests() -%}
    {{ return(['unique', 'not_null', 'accepted_values', 'relationships', 'value_in_range']) }}
{%- endmacro %}

{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set days = var('incremental_test_days', none) -%}
    {%- set test_name = (model.test_metadata or {}).get('name') if model is mapping else none -%}
    {%- set attached = graph.nodes.get(model.attached_node) if execute and model is mapping
        and model.get('attached_node') else none -%}
    {%- set column = ((attached.config.meta or {}).get('recent_rows_column')
        if attached else none) -%}
    {%- if days is not none and (days | string | trim) != '' and column
        and test_name in recent_rows_tests() -%}
        {%- set recent -%}
            {{ column }} >= {{ dbt.dateadd(
                'day',
                -(days | int),
                '(select max(' ~ column ~ ') from ' ~ relation ~ ')'
            ) }}
        {%- endset -%}
        {%- set where = '(' ~ where ~ ') and ' ~ recent if where else recent -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

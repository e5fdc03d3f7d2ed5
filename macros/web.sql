{#- Web helpers: URL parsing, site hosts, the calendar spine. Dialect differences, if any,
    live in dispatched implementations; the `default__` versions only use regexp_replace,
    lower, cast and cross joins, which DuckDB, PostgreSQL, Spark, Snowflake and BigQuery
    all understand (the patterns are anchored, so "replace first" and "replace all"
    dialects give the same result). -#}

{#- The URL path of a page URL: scheme, host and port dropped, query string and fragment
    dropped; `/` when the URL has no path. A value without a scheme is taken as a path
    already. `https://www.journeyco.example/pricing?utm_source=x` -> `/pricing`. -#}
{% macro url_path(expression) -%}
    {{ return(adapter.dispatch('url_path', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__url_path(expression) -%}
    case
        when {{ expression }} is not null
            then coalesce(
                nullif(
                    regexp_replace(
                        regexp_replace(
                            {{ expression }}, '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*', ''
                        ),
                        '[?#].*$', ''
                    ),
                    ''
                ),
                '/'
            )
    end
{%- endmacro %}

{#- The lower-cased host of a URL (no scheme, user, port or path); null when the value
    has no `scheme://` (an app screen or a bare path has no host). -#}
{% macro url_host(expression) -%}
    {{ return(adapter.dispatch('url_host', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__url_host(expression) -%}
    case
        when lower({{ expression }}) like '%://%'
            then nullif(
                lower(
                    regexp_replace(
                        regexp_replace(
                            regexp_replace(
                                regexp_replace(
                                    {{ expression }}, '^[a-zA-Z][a-zA-Z0-9+.-]*://', ''
                                ),
                                '[/?#].*$', ''
                            ),
                            '^.*@', ''
                        ),
                        ':[0-9]*$', ''
                    )
                ),
                ''
            )
    end
{%- endmacro %}

{#- True when a (lower-cased) host is one of var site_hosts or a subdomain of one
    (`www.journeyco.example` for `journeyco.example`): internal navigation, not a source.
    False for a null host. -#}
{% macro is_site_host(host_expression) -%}
    {%- set site_hosts = var('site_hosts', []) -%}
    {%- if site_hosts is string -%}{%- set site_hosts = [site_hosts] -%}{%- endif -%}
    {%- if site_hosts | length == 0 -%}
        false
    {%- else -%}
        coalesce(
            {%- for site_host in site_hosts %}
            {{ host_expression }} = '{{ site_host | lower }}'
            or {{ host_expression }} like '%.{{ site_host | lower }}'
            {{- ' or' if not loop.last }}
            {%- endfor %},
            false
        )
    {%- endif -%}
{%- endmacro %}

{#- A select of one row per day from start_date to end_date (inclusive, 'YYYY-MM-DD'
    literals), with columns date_day (date) and day_index (0 = start_date). The number of
    days is worked out at compile time and the rows come from cross-joined digit tables,
    so the SQL is plain and portable (no generate_series, no recursion). -#}
{% macro date_spine_days(start_date, end_date) -%}
    {%- set start = modules.datetime.date.fromisoformat(start_date | string) -%}
    {%- set end = modules.datetime.date.fromisoformat(end_date | string) -%}
    {%- if end < start -%}
        {{ exceptions.raise_compiler_error(
            "date_spine_days: end_date " ~ end_date ~ " is before start_date " ~ start_date
        ) }}
    {%- endif -%}
    {%- set day_count = (end - start).days + 1 -%}
    {%- set digit_count = (day_count - 1) | string | length -%}
    select
        day_index,
        cast({{ dbt.dateadd('day', 'day_index', "cast('" ~ start.isoformat() ~ "' as date)") }}
            as date) as date_day
    from (
        select
            {% for position in range(digit_count) -%}
            digits_{{ position }}.digit * {{ 10 ** position }}
            {{- ' +' if not loop.last }}
            {% endfor -%} as day_index
        from
            {% for position in range(digit_count) -%}
            (
                {% for digit in range(10) -%}
                select {{ digit }} as digit{{ ' union all' if not loop.last }}
                {% endfor -%}
            ) as digits_{{ position }}
            {{- ',' if not loop.last }}
            {% endfor %}
    ) as day_indexes
    where day_index < {{ day_count }}
{%- endmacro %}

{#- ISO weekday (1 = Monday .. 7 = Sunday) of the start date of a spine, for computing
    each day's weekday as mod(day_index + this - 1, 7) + 1 without dialect functions. -#}
{% macro iso_weekday_of(date_literal) -%}
    {{ return(modules.datetime.date.fromisoformat(date_literal | string).isoweekday()) }}
{%- endmacro %}

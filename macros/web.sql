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

{#- A select of one row per day from start_column to end_column (inclusive) of the one-row
    relation bounds_relation, with columns day_index (0 = the start) and date_day. The bounds
    are read at run time (they may come from the data); the rows come from cross-joined digit
    tables, so the SQL is plain and portable (no generate_series, no recursion). At most
    max_days days (default 100,000, about 273 years): a longer range is cut short, which the
    test assert_dim_date_covers_the_data reports. -#}
{% macro date_spine_days(bounds_relation, start_column, end_column, max_days=100000) -%}
    {%- set digit_count = (max_days - 1) | string | length -%}
    select
        day_indexes.day_index,
        cast({{ dbt.dateadd(
            'day', 'day_indexes.day_index', bounds_relation ~ '.' ~ start_column
        ) }} as date) as date_day
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
    inner join {{ bounds_relation }}
        on
            day_indexes.day_index < {{ max_days }}
            and day_indexes.day_index <= {{ dbt.datediff(
                bounds_relation ~ '.' ~ start_column, bounds_relation ~ '.' ~ end_column, 'day'
            ) }}
{%- endmacro %}

{#- ISO weekday (1 = Monday .. 7 = Sunday) of a date expression, from the days since Monday
    1900-01-01 (a double mod keeps earlier dates right): no dialect function needed. -#}
{% macro iso_weekday(date_expression) -%}
    (mod(mod({{ dbt.datediff("cast('1900-01-01' as date)", date_expression, 'day') }}, 7) + 7, 7) + 1)
{%- endmacro %}

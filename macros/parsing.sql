{#- Parsing helpers used by staging. Raw values are treated as untrusted text: each helper
    returns null when a value cannot be parsed, and staging turns that null into a
    reject_reason (never a cast error deep in SQL). Dialect differences live in dispatched
    implementations (`default__` + `duckdb__`/`postgres__`/`spark__`). -#}

{#- Text: cast to string, trim all whitespace at both ends (trim_whitespace), blank -> null. -#}
{% macro clean_text(expression) -%}
    nullif({{ trim_whitespace('cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ')') }}, '')
{%- endmacro %}

{#- Remove whitespace at both ends: not only spaces (trim() in most dialects) but every
    Unicode white-space character (tab, line feed, carriage return, vertical tab, form feed,
    U+0085, the space separators of category Z such as the no-break space U+00A0, U+2028/9)
    and the byte-order mark U+FEFF. Characters inside the text are kept. -#}
{% macro trim_whitespace(expression) -%}
    {{ return(adapter.dispatch('trim_whitespace', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__trim_whitespace(expression) -%}
    {#- PostgreSQL ARE: \uXXXX escapes, locale-independent (no reliance on \s knowing Unicode). -#}
    {%- set ws -%}
        [\s\u000b\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]
    {%- endset -%}
    regexp_replace({{ expression }}, '^{{ ws }}+|{{ ws }}+$', '', 'g')
{%- endmacro %}

{% macro duckdb__trim_whitespace(expression) -%}
    {#- RE2: \s is [\t\n\f\r ]; \p{Z} the Unicode space separators. -#}
    {%- set ws -%} [\s\x{0B}\x{85}\p{Z}\x{FEFF}] {%- endset -%}
    regexp_replace({{ expression }}, '^{{ ws }}+|{{ ws }}+$', '', 'g')
{%- endmacro %}

{% macro spark__trim_whitespace(expression) -%}
    {#- Java regex (global by default); a backslash is doubled in a Spark SQL literal. -#}
    {%- set ws -%} [\\s\\x{0B}\\x{85}\\p{Z}\\x{FEFF}] {%- endset -%}
    regexp_replace({{ expression }}, '^{{ ws }}+|{{ ws }}+$', '')
{%- endmacro %}

{#- True when the text matches a regular expression (a search: anchor it with ^ and $).
    Keep patterns to the syntax the dialects share (no backslashes: write [.] for a dot). -#}
{% macro matches_regex(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_regex', 'journey_kpis')(expression, pattern)) }}
{%- endmacro %}

{% macro default__matches_regex(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__matches_regex(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__matches_regex(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}

{#- Codes: like clean_text, lower-cased. -#}
{% macro clean_code(expression) -%}
    lower({{ clean_text(expression) }})
{%- endmacro %}

{#- Timestamp in UTC, as a timestamp without time zone (ISO-8601: `2025-03-01 10:00:00`,
    `2025-03-01T10:00:00Z`, `2025-03-01T12:00:00+02:00`), or null when unparseable. Naive
    text is UTC by contract, whatever the session's or the machine's time zone; an explicit
    offset (or `Z`, or a zone name on DuckDB) is honoured and converted to UTC. -#}
{% macro parse_timestamp(expression) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__parse_timestamp(expression) -%}
    {#- Spark and others: a plain cast reads naive text in the session time zone, so the
        session must be UTC there (profiles.yml.example sets it for Spark). -#}
    {{ dbt.safe_cast(expression, api.Column.translate_type('timestamp')) }}
{%- endmacro %}

{% macro duckdb__parse_timestamp(expression) -%}
    {#- A cast to timestamptz reads naive text in the session's TimeZone, and a cast to
        timestamp silently ignores an offset: so text with a zone after its time goes
        through timestamptz and back to UTC, and naive text is cast to timestamp. -#}
    case
        when regexp_matches({{ expression }}, '{{ _explicit_zone_re() }}')
            then timezone('UTC', try_cast({{ expression }} as timestamptz))
        else try_cast({{ expression }} as timestamp)
    end
{%- endmacro %}

{#- RE2: a time of day followed by a zone: Z, an offset (+02, +0200, -05:00) or a name
    (UTC, America/New_York). -#}
{% macro _explicit_zone_re() -%}
    (?i)[0-9]:[0-9]{2}(:[0-9]{2}([.][0-9]*)?)?\s*(z|[+-][0-9]{1,2}(:?[0-9]{2}){0,2}|[a-z][a-z0-9_/+-]*)$
{%- endmacro %}

{#- Date (`YYYY-MM-DD`) or null. -#}
{% macro parse_date(expression) -%}
    {{ return(adapter.dispatch('parse_date', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__parse_date(expression) -%}
    {{ dbt.safe_cast(expression, api.Column.translate_type('date')) }}
{%- endmacro %}

{#- Decimal number or null. -#}
{% macro parse_number(expression) -%}
    {{ return(adapter.dispatch('parse_number', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__parse_number(expression) -%}
    {{ dbt.safe_cast(expression, dbt.type_numeric()) }}
{%- endmacro %}

{#- Whole number (bigint) or null, read exactly from the text, never rounded: `7`, `+7`,
    `-7` and `7.0` parse; `7.5`, `9.9999999`, `4.0000001`, `1e3`, `ten` and values beyond
    the bigint range do not. Pass trimmed text (clean_text). -#}
{% macro parse_integer(expression) -%}
    case
        when {{ matches_regex(expression, '^[+-]?[0-9]+([.]0*)?$') }}
            then {{ dbt.safe_cast(dbt.split_part(expression, "'.'", 1), dbt.type_bigint()) }}
    end
{%- endmacro %}

{#- Boolean from true/false, t/f, 1/0, yes/no, y/n (any case), else null. -#}
{% macro parse_boolean(expression) -%}
    case
        when lower(trim({{ expression }})) in ('true', 't', '1', 'yes', 'y') then true
        when lower(trim({{ expression }})) in ('false', 'f', '0', 'no', 'n') then false
    end
{%- endmacro %}

{#- True when the text is a JSON object. -#}
{% macro is_json_object(expression) -%}
    {{ return(adapter.dispatch('is_json_object', 'journey_kpis')(expression)) }}
{%- endmacro %}

{% macro default__is_json_object(expression) -%}
    {#- PostgreSQL 16+: pg_input_is_valid. Older servers have no non-failing JSON check. -#}
    (pg_input_is_valid({{ expression }}, 'jsonb')
        and jsonb_typeof(cast({{ expression }} as jsonb)) = 'object')
{%- endmacro %}

{% macro duckdb__is_json_object(expression) -%}
    {#- json_type raises on malformed JSON, and DuckDB does not short-circuit `and`: the
        CASE inside the argument keeps malformed values away from it. -#}
    coalesce(
        json_type(case when json_valid({{ expression }}) then {{ expression }} end) = 'OBJECT',
        false
    )
{%- endmacro %}

{% macro spark__is_json_object(expression) -%}
    (get_json_object({{ expression }}, '$') is not null and substr(trim({{ expression }}), 1, 1) = '{{ "{" }}')
{%- endmacro %}

{#- The value of a top-level key of a JSON object, as text. Only pass values that passed
    is_json_object, e.g. `case when <is_json_object> then col end` (DuckDB raises on
    malformed JSON, and a CASE around the call does not stop its optimizer evaluating it). -#}
{% macro json_text(expression, key) -%}
    {{ return(adapter.dispatch('json_text', 'journey_kpis')(expression, key)) }}
{%- endmacro %}

{% macro default__json_text(expression, key) -%}
    (cast({{ expression }} as jsonb) ->> '{{ key }}')
{%- endmacro %}

{% macro duckdb__json_text(expression, key) -%}
    json_extract_string({{ expression }}, '$.{{ key }}')
{%- endmacro %}

{% macro spark__json_text(expression, key) -%}
    get_json_object({{ expression }}, '$.{{ key }}')
{%- endmacro %}

{#- The build's current time, in UTC, as a timestamp without zone. -#}
{% macro utc_now() -%}
    {{ return(adapter.dispatch('utc_now', 'journey_kpis')()) }}
{%- endmacro %}

{% macro default__utc_now() -%}
    cast({{ dbt.current_timestamp() }} as {{ api.Column.translate_type('timestamp') }})
{%- endmacro %}

{% macro duckdb__utc_now() -%}
    timezone('UTC', now())
{%- endmacro %}

{% macro postgres__utc_now() -%}
    (now() at time zone 'utc')
{%- endmacro %}

{#- Latest acceptable raw timestamp: anything after it is rejected as "future". -#}
{% macro future_cutoff() -%}
    {{ dbt.dateadd('hour', var('future_tolerance_hours', 24), utc_now()) }}
{%- endmacro %}

{#- Earliest plausible raw timestamp or date (var earliest_plausible_date, `YYYY-MM-DD`):
    anything before it (1900, year 1, BC dates, -infinity) is rejected as "implausible_past". -#}
{% macro past_cutoff() -%}
    {%- set earliest = var('earliest_plausible_date', '1990-01-01') | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', earliest) -%}
        {{ exceptions.raise_compiler_error(
            "var earliest_plausible_date must be a date YYYY-MM-DD, got '" ~ earliest ~ "'") }}
    {%- endif -%}
    cast('{{ earliest }}' as {{ api.Column.translate_type('timestamp') }})
{%- endmacro %}

{#- Pseudonymous, salted hash of an e-mail address (lower-cased, trimmed). The salt comes
    from env var JOURNEY_KPIS_EMAIL_SALT; set it in production so hashes cannot be
    reversed with a dictionary of known addresses. -#}
{% macro hash_email(expression) -%}
    {{ dbt.hash(dbt.concat(["'" ~ env_var('JOURNEY_KPIS_EMAIL_SALT', '') ~ "'", 'lower(' ~ expression ~ ')'])) }}
{%- endmacro %}

{#- Helpers shared by the staging layer. -#}

{#- When the bundled demo data is in use, make the staging base models depend on the demo
    seed that fills their source table, so that a plain `dbt build` loads the seed before it
    builds (and tests) anything that reads it. With load_demo_data false or raw_data_path set
    the seeds are disabled and no dependency is declared. -#}
{% macro demo_seed_dependency(seed_name) -%}
    {%- if var('load_demo_data') and not var('raw_data_path') -%}
        -- depends_on: {{ ref(seed_name) }}
    {%- endif -%}
{%- endmacro %}

{#- Rank of each load of a natural key: 1 = the latest `_loaded_at` (the version kept),
    2.. = superseded loads (rejected as `duplicate`). Ties on `_loaded_at` are broken by
    the raw values themselves (tiebreak_columns, in order), so the result is deterministic
    (cheaper than hashing each row); an unparseable or missing `_loaded_at` counts as the
    oldest load. -#}
{% macro load_rank(key_columns, tiebreak_columns) -%}
    row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by
            loaded_at desc nulls last
            {%- for column in tiebreak_columns %},
            {{ binary_collation(column) }} nulls last
            {%- endfor %}
    )
{%- endmacro %}

{#- True when a raw text value is present but does not parse. -#}
{% macro is_malformed(text_column, parsed_column) -%}
    ({{ text_column }} is not null and {{ parsed_column }} is null)
{%- endmacro %}

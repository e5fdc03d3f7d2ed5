{#- dbt-spark's split_part indexes split()'s array, which raises under Spark's ANSI mode
    (the default from Spark 4) when the part does not exist, and split() takes a regex.
    Spark 3.3+ has split_part itself, which, as on DuckDB and PostgreSQL, takes the
    delimiter literally and gives '' for a part that does not exist. The `dispatch` block
    in dbt_project.yml makes dbt.split_part find it. -#}
{% macro spark__split_part(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}

{#-
    Custom schemas are used as-is (`raw`, `reference`, `staging`, `intermediate`,
    `kpi_families`, `marts`)
    instead of dbt's default `<target_schema>_<custom>`, so that the demo seeds land in exactly
    the schema the sources read (var `raw_schema`) and BI tools see stable schema names.
    To isolate developers on a shared warehouse, give each one their own database/catalog
    in profiles.yml, or set `prefix_schemas_with_target: true` to get `<target_schema>_<custom>`.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- elif var('prefix_schemas_with_target', false) -%}
        {{ target.schema | trim }}_{{ custom_schema_name | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

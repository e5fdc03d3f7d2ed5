{#- Access control for BI tools. dbt's `grants` config (dbt_project.yml, marts folder) grants
    select on every mart table to the role of var bi_role; a table is useless to that role
    without usage on its schema, which dbt does not grant, so an on-run-end hook does. No
    other schema is granted anything: the BI role reads the marts and nothing else. -#}
{% macro grant_bi_schema_usage() -%}
    {{ return(adapter.dispatch('grant_bi_schema_usage', 'journey_kpis')()) }}
{%- endmacro %}

{#- DuckDB has no roles; open-source Spark has no SQL grants (README, Other warehouses). -#}
{% macro default__grant_bi_schema_usage() -%}
    select 1
{%- endmacro %}

{#- Only when the marts schema exists (a `--select staging` build creates none). -#}
{% macro postgres__grant_bi_schema_usage() -%}
    {%- set marts_schema = generate_schema_name('marts', none) | trim -%}
    do $$
    begin
        if exists (select from pg_namespace where nspname = '{{ marts_schema }}') then
            execute 'grant usage on schema {{ adapter.quote(marts_schema) }} to {{ var('bi_role') }}';
        end if;
    end $$
{%- endmacro %}

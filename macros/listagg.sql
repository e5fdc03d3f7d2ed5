{#- dbt-spark's listagg ignores its order_by_clause (collect_list has no order), so a
    listagg's text could come out in any order on Spark. This one sorts: it collects
    (sort keys, value) structs, sorts them and keeps the values. The order_by_clause is
    `order by <expr> [asc|desc], ...`, every key in the same direction; null values are
    skipped, as listagg/string_agg do elsewhere. The `dispatch` block in dbt_project.yml
    makes dbt.listagg find it. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if not order_by_clause -%}
        {%- set collected -%} collect_list({{ measure }}) {%- endset -%}
    {%- else -%}
        {%- set parsed = modules.re.match('(?is)^\\s*order\\s+by\\s+(.+)$', order_by_clause) -%}
        {%- if not parsed -%}
            {{ exceptions.raise_compiler_error("spark__listagg: cannot read order_by_clause '" ~ order_by_clause ~ "'") }}
        {%- endif -%}
        {%- set keys = [] -%}
        {%- set directions = [] -%}
        {%- for item in parsed.group(1).split(',') -%}
            {%- set key = modules.re.match('(?is)^\\s*(.+?)(\\s+(asc|desc))?\\s*$', item) -%}
            {%- do keys.append(key.group(1)) -%}
            {%- do directions.append((key.group(3) or 'asc') | lower) -%}
        {%- endfor -%}
        {%- if directions | unique | list | length > 1 -%}
            {{ exceptions.raise_compiler_error("spark__listagg: mixed asc/desc in '" ~ order_by_clause ~ "'") }}
        {%- endif -%}
        {%- set sorted -%}
            array_sort(collect_list(case when {{ measure }} is not null then struct(
                {%- for key in keys %}{{ key }} as sort_key_{{ loop.index }}, {% endfor -%}
                {{ measure }} as listagg_value) end))
        {%- endset -%}
        {%- if directions[0] == 'desc' -%}{%- set sorted = 'reverse(' ~ sorted ~ ')' -%}{%- endif -%}
        {%- set collected -%} transform({{ sorted }}, entry -> entry.listagg_value) {%- endset -%}
    {%- endif -%}
    {%- if limit_num -%}{%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}{%- endif -%}
    array_join({{ collected }}, {{ delimiter_text }})
{%- endmacro %}

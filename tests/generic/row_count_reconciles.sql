{#- Every raw record ends up in exactly one place. Fails (returning the counts) when, for
    the source table, raw records != clean rows + duplicates removed + other rejected rows.
    Raw records are the source table's rows plus the lines of its file that could not be
    read (rejected as `unreadable_line`; see macro unreadable_lines). Duplicates are the
    rows of the rejects model with reason `duplicate`. Apply it to the clean staging model. -#}
{% test row_count_reconciles(model, source_name, table_name, rejects_model) %}

with

unreadable_lines as (
    {{ unreadable_lines(source_name, table_name) }}
),

counts as (
    select
        (select count(*) from {{ source(source_name, table_name) }}) as raw_rows,
        (select count(*) from unreadable_lines) as unreadable_lines,
        (select count(*) from {{ model }}) as clean_rows,
        (
            select count(*) from {{ rejects_model }}
            where reject_reason = 'duplicate'
        ) as duplicate_rows,
        (
            select count(*) from {{ rejects_model }}
            where reject_reason != 'duplicate'
        ) as rejected_rows
)

select *
from counts
where raw_rows + unreadable_lines != clean_rows + duplicate_rows + rejected_rows

{% endtest %}

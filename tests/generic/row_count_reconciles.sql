{#- Every raw row ends up in exactly one place. Fails (returning the counts) when, for the
    source table, raw rows != clean rows + duplicates removed + other rejected rows.
    Duplicates are the rows of the rejects model with reason `duplicate`.
    Apply it to the clean staging model. -#}
{% test row_count_reconciles(model, source_name, table_name, rejects_model) %}

with

counts as (
    select
        (select count(*) from {{ source(source_name, table_name) }}) as raw_rows,
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
where raw_rows != clean_rows + duplicate_rows + rejected_rows

{% endtest %}

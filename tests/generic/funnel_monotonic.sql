{#- Funnel monotonicity: people reaching a stage never exceed those reaching the previous stage
    within a cohort / slice. Fails for every row whose column_name is greater than the value
    of the row before it (by order_column) in the same partition_columns. Apply it to the
    count column of a funnel with one row per slice x stage. -#}
{% test funnel_monotonic(model, column_name, partition_columns, order_column) %}

with

ordered as (
    select
        {{ partition_columns | join(', ') }},
        {{ order_column }},
        {{ column_name }} as reached,
        lag({{ column_name }}) over (
            partition by {{ partition_columns | join(', ') }}
            order by {{ order_column }}
        ) as reached_previous
    from {{ model }}
)

select *
from ordered
where reached > reached_previous

{% endtest %}

{#- Fails for every combination of the given columns that occurs more than once
    (a composite primary key test; dbt_utils' test of the same name, without the package). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}

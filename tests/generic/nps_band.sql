{#- Fails for every row whose NPS band disagrees with its 0..10 score: the band must be
    `promoter` iff the score is 9..10, `passive` iff 7..8 and `detractor` iff 0..6. A null
    band, a null score, an unknown band or a score outside 0..10 fails too, so restrict
    the rows with config `where:` (e.g. survey_type = 'nps') on a mixed column. -#}
{% test nps_band(model, column_name, score_column) %}

select
    {{ column_name }} as nps_band,
    {{ score_column }} as score
from {{ model }}
where
    not coalesce(
        ({{ column_name }} = 'promoter' and {{ score_column }} between 9 and 10)
        or ({{ column_name }} = 'passive' and {{ score_column }} between 7 and 8)
        or ({{ column_name }} = 'detractor' and {{ score_column }} between 0 and 6),
        false
    )

{% endtest %}

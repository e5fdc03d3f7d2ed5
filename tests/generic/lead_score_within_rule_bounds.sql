{#- Fails for every lead score outside what the scoring rules can give: below the sum of
    the negative rules' floors or above the sum of the positive rules' caps (max_points).
    Catches a missing cap or floor. Pass the rules seed as `rules`. -#}
{% test lead_score_within_rule_bounds(model, column_name, rules) %}

with

scored as (
    select * from {{ model }}
),

scoring_rules as (
    select * from {{ rules }}
),

bounds as (
    select
        sum(case when points < 0 then max_points else 0 end) as min_score,
        sum(case when points >= 0 then max_points else 0 end) as max_score
    from scoring_rules
),

final as (
    select
        scored.{{ column_name }} as lead_score,
        bounds.min_score,
        bounds.max_score
    from scored
    cross join bounds
    where
        scored.{{ column_name }} < bounds.min_score
        or scored.{{ column_name }} > bounds.max_score
)

select * from final

{% endtest %}

{#- Rules of the commerce, CRM and survey facts (lead scoring, NPS bands). -#}

{#- Lead-score band label of a score, from var lead_score_band_bounds (ascending upper
    bounds, exclusive). With the default [25, 50, 75]: '0-24', '25-49', '50-74', '75+'.
    The lowest band holds every score below the first bound, including a negative score
    (a negative rule with no positive signal). Null for a null score. -#}
{% macro lead_score_band(score) -%}
    {%- set bounds = var('lead_score_band_bounds') | map('int') | list -%}
    case
        when {{ score }} is null then null
        {%- for bound in bounds %}
        when {{ score }} < {{ bound }}
            then '{{ 0 if loop.first else bounds[loop.index0 - 1] }}-{{ bound - 1 }}'
        {%- endfor %}
        else '{{ bounds[-1] }}+'
    end
{%- endmacro %}

{#- The band labels lead_score_band can produce, lowest first (for accepted_values and
    for ordering bands in marts). -#}
{% macro lead_score_band_labels() -%}
    {%- set bounds = var('lead_score_band_bounds') | map('int') | list -%}
    {%- set labels = [] -%}
    {%- for bound in bounds -%}
        {%- do labels.append(
            (0 if loop.first else bounds[loop.index0 - 1]) ~ '-' ~ (bound - 1)
        ) -%}
    {%- endfor -%}
    {%- do labels.append(bounds[-1] ~ '+') -%}
    {{ return(labels) }}
{%- endmacro %}

{#- NPS band of a 0..10 answer: promoter (9-10), passive (7-8), detractor (0-6); null for
    a null or out-of-range score. -#}
{% macro nps_band(score) -%}
    case
        when {{ score }} between 9 and 10 then 'promoter'
        when {{ score }} between 7 and 8 then 'passive'
        when {{ score }} between 0 and 6 then 'detractor'
    end
{%- endmacro %}

{#- Points a lead-scoring rule gives for a number of occurrences: points x occurrences,
    capped at max_points (for a negative rule, floored at max_points). -#}
{% macro capped_rule_points(points, occurrences, max_points) -%}
    case
        when ({{ points }}) >= 0 and ({{ points }}) * ({{ occurrences }}) > ({{ max_points }})
            then ({{ max_points }})
        when ({{ points }}) < 0 and ({{ points }}) * ({{ occurrences }}) < ({{ max_points }})
            then ({{ max_points }})
        else ({{ points }}) * ({{ occurrences }})
    end
{%- endmacro %}

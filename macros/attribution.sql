{#- The attribution models of fct_attribution_credits, in one place (kpi_catalog
    "Attribution and paths"). The rule-based ones are computed by attribution_rule_credit;
    the data-driven markov and shapley models are added here when they land. -#}
{% macro attribution_models() -%}
    {{ return(attribution_rule_models() + attribution_data_driven_models()) }}
{%- endmacro %}

{#- The data-driven models: each has its own model int_attribution_<name>_credits
    (conversion_id, touch_position, credit) that fct_attribution_credits reads. -#}
{% macro attribution_data_driven_models() -%}
    {{ return(['markov', 'shapley']) }}
{%- endmacro %}

{% macro attribution_rule_models() -%}
    {{ return([
        'first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay'
    ]) }}
{%- endmacro %}

{#- The credit (a fraction of 1) one touchpoint row earns under a rule-based model. Reads the
    columns touch_count (0: the conversion's one `unattributed` row), touch_position (1..n,
    0 for that row), last_non_direct_position (the last touch whose channel is not direct,
    null when none), decay_weight (2^(-days_before_conversion / half-life)) and
    decay_weight_total (its sum over the conversion). -#}
{% macro attribution_rule_credit(model) -%}
    {%- if model == 'first_touch' -%}
        case when touch_position <= 1 then 1.0 else 0.0 end
    {%- elif model == 'last_touch' -%}
        case when touch_position = touch_count then 1.0 else 0.0 end
    {%- elif model == 'last_non_direct' -%}
        case
            when touch_position = coalesce(last_non_direct_position, touch_count) then 1.0
            else 0.0
        end
    {%- elif model == 'linear' -%}
        cast(1 as {{ type_double() }}) / (case when touch_count > 1 then touch_count else 1 end)
    {%- elif model == 'position_based' -%}
        case
            when touch_count <= 1 then 1.0
            when touch_count = 2 then 0.5
            when touch_position = 1 or touch_position = touch_count then 0.4
            else cast(0.2 as {{ type_double() }}) / (touch_count - 2)
        end
    {%- elif model == 'time_decay' -%}
        decay_weight / decay_weight_total
    {%- else -%}
        {{ exceptions.raise_compiler_error("attribution_rule_credit: unknown model " ~ model) }}
    {%- endif -%}
{%- endmacro %}

{#- One row per attribution model (column attribution_model), as a union of literal
    selects: the list every per-model mart and reconcile test iterates over. -#}
{% macro attribution_models_rows() -%}
    {%- for attribution_model in attribution_models() %}
    select '{{ attribution_model }}' as attribution_model
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

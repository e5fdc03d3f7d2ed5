{#- The attribution model behind the catalog's per-channel CAC, ROAS and marketing ROI
    (kpis_spend; LTV:CAC follows through CAC): var attribution_kpi_model, default
    last_non_direct. Fails at compile time, naming the allowed values, when the var is not
    one of attribution_models(). -#}
{% macro attribution_kpi_model() -%}
    {%- set chosen = var('attribution_kpi_model', 'last_non_direct') -%}
    {%- set allowed = attribution_models() -%}
    {%- if chosen not in allowed -%}
        {{ exceptions.raise_compiler_error(
            "var attribution_kpi_model is '" ~ chosen ~ "'; allowed values: "
            ~ allowed | join(', ')
        ) }}
    {%- endif -%}
    {{ return(chosen) }}
{%- endmacro %}

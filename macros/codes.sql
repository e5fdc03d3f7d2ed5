{#- The code lists of the raw data contract, in one place. -#}

{#- Channel codes of the catalog's GA4-style default channel grouping. -#}
{% macro channel_codes() -%}
    {{ return([
        'direct', 'organic_search', 'paid_search', 'organic_social', 'paid_social', 'email',
        'sms', 'referral', 'display', 'affiliate', 'offline', 'other'
    ]) }}
{%- endmacro %}

{#- The channel of a conversion, customer or order with no touch in the attribution window
    (kpi_catalog: `unattributed`, never `direct`, which means a tracked direct visit). No
    channel rule assigns it: it only appears where an attribution or acquisition channel is
    decided. -#}
{% macro unattributed_channel() -%}
    {{ return('unattributed') }}
{%- endmacro %}

{#- The codes an attribution or acquisition channel can take: the channel grouping's codes
    plus `unattributed`. -#}
{% macro attribution_channel_codes() -%}
    {{ return(channel_codes() + [unattributed_channel()]) }}
{%- endmacro %}

{#- The one place that decides an untracked channel: the expression's channel, or
    `unattributed` when it is null (no touch in the window, no session at all). -#}
{% macro attributed_channel(channel_expression) -%}
    coalesce({{ channel_expression }}, '{{ unattributed_channel() }}')
{%- endmacro %}

{#- Valid score range per survey type: {survey_type: [min, max]}. -#}
{% macro survey_score_ranges() -%}
    {{ return({
        'nps': [0, 10],
        'csat': [1, 5],
        'ces': [1, 7],
        'review': [1, 5],
        'brand_recall': [0, 1],
    }) }}
{%- endmacro %}

{#- True when a score lies in its survey type's range (false for an unknown type). -#}
{% macro survey_score_in_range(survey_type_column, score_column) -%}
    case
        {%- for survey_type, bounds in survey_score_ranges().items() %}
        when {{ survey_type_column }} = '{{ survey_type }}'
            then {{ score_column }} between {{ bounds[0] }} and {{ bounds[1] }}
        {%- endfor %}
        else false
    end
{%- endmacro %}

{% macro order_statuses() -%}
    {{ return(['completed', 'refunded', 'cancelled']) }}
{%- endmacro %}

{% macro order_channels() -%}
    {{ return(['web', 'app', 'pos', 'sales']) }}
{%- endmacro %}

{% macro survey_channels() -%}
    {{ return(['email', 'sms', 'in_app', 'web', 'social', 'phone']) }}
{%- endmacro %}

{% macro devices() -%}
    {{ return(['desktop', 'mobile', 'tablet', 'app', 'other']) }}
{%- endmacro %}

{% macro company_size_bands() -%}
    {{ return(['1-10', '11-50', '51-200', '201-1000', '1001+']) }}
{%- endmacro %}

{#- Renders a list of codes as a SQL list literal: ('a', 'b'). -#}
{% macro sql_list(values) -%}
    ({%- for value in values -%}'{{ value }}'{{ ', ' if not loop.last }}{%- endfor -%})
{%- endmacro %}

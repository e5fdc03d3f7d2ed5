{#- One row per journey with at least one touch (int_attribution_journeys, converting and
    non-converting): its channel set, the distinct channels of its touches, as one 0/1 column
    has_<channel> per code of channel_codes() and as a label (the channels in code order,
    joined by '+'). Input of the shapley model (doc block attribution_shapley). A conversion
    with no touch has no channel set: it is left out here, and int_attribution_shapley_credits
    gives it to `unattributed`. -#}
{%- set channels = channel_codes() -%}
{%- set max_channels = 15 -%}
{%- if channels | length > max_channels -%}
    {{ exceptions.raise_compiler_error(
        "int_attribution_shapley_journeys: the shapley model is exact over 2^n channel "
        ~ "coalitions and allows at most " ~ max_channels ~ " channels; channel_codes() has "
        ~ (channels | length) ~ ". Group channels, or raise the limit knowingly."
    ) }}
{%- endif -%}
{%- set label_parts = [] -%}
{%- for channel in channels -%}
    {%- do label_parts.append(
        "case when has_" ~ channel ~ " = 1 then '+" ~ channel ~ "' else '' end"
    ) -%}
{%- endfor -%}

with

journeys as (
    select * from {{ ref('int_attribution_journeys') }}
),

journey_channels as (
    select
        journey_id,
        conversion_id,
        {%- for channel in channels %}
            max(case when channel = '{{ channel }}' then 1 else 0 end) as has_{{ channel }},
        {%- endfor %}
        is_converting
    from journeys
    where touch_position >= 1
    group by journey_id, conversion_id, is_converting
),

labelled as (
    select
        *,
        substr({{ dbt.concat(label_parts) }}, 2) as channel_set,
        {%- for channel in channels %}
            has_{{ channel }}{{ ' +' if not loop.last }}
        {%- endfor %} as channel_set_size
    from journey_channels
),

final as (
    select
        -- ids
        journey_id,
        conversion_id,

        -- strings
        channel_set,

        -- numerics
        cast(channel_set_size as {{ dbt.type_bigint() }}) as channel_set_size,
        {%- for channel in channels %}
            cast(has_{{ channel }} as {{ dbt.type_bigint() }}) as has_{{ channel }},
        {%- endfor %}

        -- booleans
        is_converting
    from labelled
)

select * from final

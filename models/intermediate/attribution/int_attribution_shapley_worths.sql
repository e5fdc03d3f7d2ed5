{#- One row per coalition of channels that the shapley model needs: every non-empty subset
    of the channel set of a converting journey (int_attribution_shapley_journeys). Its worth
    v(T) = conversions / journeys over the journeys, converting or not, whose channel set lies
    within T (0 when there is none); v(empty) = 0 and the empty coalition is left out, as it
    adds nothing to a Shapley value. The 2^n coalitions come from a cross join of one two-row
    CTE (0, 1) per channel code: no bitwise operator, and no CTE is read more than twice.
    See the doc block attribution_shapley. -#}
{%- set channels = channel_codes() -%}
{%- set label_parts = [] -%}
{%- for channel in channels -%}
    {%- do label_parts.append(
        "case when has_" ~ channel ~ " = 1 then '+" ~ channel ~ "' else '' end"
    ) -%}
{%- endfor -%}
{%- set within_converting_set = [] -%}
{%- set set_within_coalition = [] -%}
{%- for channel in channels -%}
    {%- do within_converting_set.append(
        "coalitions.has_" ~ channel ~ " <= converting_sets.has_" ~ channel
    ) -%}
    {%- do set_within_coalition.append(
        "channel_sets.has_" ~ channel ~ " <= coalitions_needed.has_" ~ channel
    ) -%}
{%- endfor -%}

with

journeys as (
    select * from {{ ref('int_attribution_shapley_journeys') }}
),

channel_sets as (
    select
        {%- for channel in channels %}
            has_{{ channel }},
        {%- endfor %}
        channel_set_size,
        count(*) as journeys,
        sum(case when is_converting then 1 else 0 end) as conversions
    from journeys
    group by
        {%- for channel in channels %}
            has_{{ channel }},
        {%- endfor %}
        channel_set_size
),

converting_sets as (
    select * from channel_sets
    where conversions > 0
),

{% for channel in channels -%}
    bit_{{ channel }} as (
        select 0 as has_{{ channel }}
        union all
        select 1 as has_{{ channel }}
    ),

{% endfor -%}

coalitions as (
    select
        {%- for channel in channels %}
            bit_{{ channel }}.has_{{ channel }},
        {%- endfor %}
        {%- for channel in channels %}
            bit_{{ channel }}.has_{{ channel }}{{ ' +' if not loop.last }}
        {%- endfor %} as coalition_size
    from
        bit_{{ channels[0] }}
    {%- for channel in channels[1:] %}
        cross join bit_{{ channel }}
    {%- endfor %}
),

-- the coalitions within the channel set of a converting journey
coalitions_needed as (
    select distinct
        {%- for channel in channels %}
            coalitions.has_{{ channel }},
        {%- endfor %}
        coalitions.coalition_size
    from coalitions
    inner join converting_sets
        on {{ within_converting_set | join(' and ') }}
    where coalitions.coalition_size >= 1
),

-- the journeys whose channel set lies within the coalition
coalition_journeys as (
    select
        {%- for channel in channels %}
            coalitions_needed.has_{{ channel }},
        {%- endfor %}
        coalitions_needed.coalition_size,
        coalesce(sum(channel_sets.journeys), 0) as journeys,
        coalesce(sum(channel_sets.conversions), 0) as conversions,
        -- a set within the coalition and of its size is the coalition itself
        max(
            case
                when
                    channel_sets.channel_set_size = coalitions_needed.coalition_size
                    and channel_sets.conversions > 0
                    then 1
                else 0
            end
        ) as is_converting_set_flag
    from coalitions_needed
    left join channel_sets
        on {{ set_within_coalition | join(' and ') }}
    group by
        {%- for channel in channels %}
            coalitions_needed.has_{{ channel }},
        {%- endfor %}
        coalitions_needed.coalition_size
),

final as (
    select
        -- ids
        substr({{ dbt.concat(label_parts) }}, 2) as coalition,

        -- numerics
        cast(coalition_size as {{ dbt.type_bigint() }}) as coalition_size,
        cast(journeys as {{ dbt.type_bigint() }}) as journeys,
        cast(conversions as {{ dbt.type_bigint() }}) as conversions,
        case
            when journeys > 0
                then cast(conversions as {{ type_double() }}) / journeys
            else cast(0 as {{ type_double() }})
        end as worth,
        {%- for channel in channels %}
            cast(has_{{ channel }} as {{ dbt.type_bigint() }}) as has_{{ channel }},
        {%- endfor %}

        -- booleans
        is_converting_set_flag = 1 as is_converting_set
    from coalition_journeys
)

select * from final

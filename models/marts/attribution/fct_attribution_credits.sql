{#- One row per conversion x touchpoint x attribution model with a credit above 0 (rows a
    model gives no credit, such as the middle touches under first_touch, are omitted). The
    models are listed once, in macros/attribution.sql. -#}
{%- set half_life_days = var('attribution_half_life_days', 7) -%}

with

touchpoints as (
    select * from {{ ref('int_attribution_touchpoints') }}
),

touchpoints_weighted as (
    select
        *,
        max(case when channel <> 'direct' and touch_count > 0 then touch_position end) over (
            partition by conversion_id
        ) as last_non_direct_position,
        -- time decay: the one row of a conversion with no touch weighs 1
        power(
            cast(2 as {{ type_double() }}),
            -coalesce(days_before_conversion, 0)
            / cast({{ half_life_days }} as {{ type_double() }})
        ) as decay_weight
    from touchpoints
),

touchpoints_measured as (
    select
        *,
        sum(decay_weight) over (partition by conversion_id) as decay_weight_total
    from touchpoints_weighted
),

{% for attribution_model in attribution_data_driven_models() -%}
    {{ attribution_model }}_credits as (
        select * from {{ ref('int_attribution_' ~ attribution_model ~ '_credits') }}
    ),

{% endfor -%}

credits as (
    {% for attribution_model in attribution_rule_models() -%}
        select
            conversion_id,
            touch_position,
            '{{ attribution_model }}' as attribution_model,
            cast({{ attribution_rule_credit(attribution_model) }} as {{ type_double() }}) as credit
        from touchpoints_measured
        union all
    {% endfor -%}
    {% for attribution_model in attribution_data_driven_models() -%}
        select
            conversion_id,
            touch_position,
            '{{ attribution_model }}' as attribution_model,
            cast(credit as {{ type_double() }}) as credit
        from {{ attribution_model }}_credits
        {% if not loop.last -%}
            union all
        {% endif -%}
    {% endfor %}
),

final as (
    select
        -- ids
        touchpoints.conversion_id,
        credits.attribution_model,
        cast(touchpoints.touch_position as {{ dbt.type_bigint() }}) as touch_position,
        touchpoints.person_id,
        touchpoints.session_id,

        -- strings
        touchpoints.conversion_type,
        touchpoints.channel,
        touchpoints.campaign,
        touchpoints.landing_page,

        -- numerics
        cast(touchpoints.touch_count as {{ dbt.type_bigint() }}) as touch_count,
        cast(touchpoints.days_before_conversion as {{ type_double() }}) as days_before_conversion,
        credits.credit,
        cast(touchpoints.conversion_revenue as {{ dbt.type_numeric() }}) as conversion_revenue,
        credits.credit
        * cast(touchpoints.conversion_revenue as {{ type_double() }}) as attributed_revenue,

        -- timestamps
        touchpoints.converted_at,
        touchpoints.touched_at
    from credits
    inner join touchpoints
        on
            credits.conversion_id = touchpoints.conversion_id
            and credits.touch_position = touchpoints.touch_position
    where credits.credit > 0
)

select * from final

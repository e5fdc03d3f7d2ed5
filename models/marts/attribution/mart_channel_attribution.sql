{#- One row per attribution model x month x channel x campaign x persona (kpi_catalog
    "Attribution and paths"; doc block mart_channel_attribution_grain). Credits come from
    fct_attribution_credits (every model of attribution_models()), dated in the month of
    the conversion; spend from fct_marketing_spend, dated on spend_date. Spend has no
    persona: persona `all` rows carry the credits of every persona AND the spend and the
    ratios; per-persona rows carry the credits only (spend and ratios null). Filter persona
    = 'all', or sum the rows with persona <> 'all': either way nothing is counted twice. -#}
{%- set untagged_campaign = '(none)' -%}

with

credits as (
    select * from {{ ref('fct_attribution_credits') }}
),

spend as (
    select * from {{ ref('fct_marketing_spend') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

attribution_models as (
    {{ attribution_models_rows() }}
),

-- Credits with their order (a completed order: orders and new customers) and persona.
credit_facts as (
    select
        credits.attribution_model,
        cast({{ dbt.date_trunc('month', 'credits.converted_at') }} as date) as period_start,
        credits.channel,
        coalesce(lower(credits.campaign), '{{ untagged_campaign }}') as campaign,
        coalesce(people.persona, 'unassigned') as persona,
        credits.credit as attributed_conversions,
        case
            when orders.is_completed then credits.credit else 0
        end as attributed_orders,
        case
            when orders.is_completed and orders.order_number = 1 then credits.credit else 0
        end as attributed_new_customers,
        credits.attributed_revenue,
        case
            when orders.is_completed
                then credits.credit * cast(orders.gross_margin as {{ type_double() }})
            else 0
        end as attributed_gross_margin,
        cast(null as {{ type_double() }}) as spend
    from credits
    left join orders
        on
            credits.conversion_type = 'order'
            and credits.conversion_id = orders.order_id
    left join people
        on credits.person_id = people.person_id
),

-- Spend under every model, persona `all` only: a channel and campaign with a spend row in
-- a month keeps its row under every model, credited or not.
spend_facts as (
    select
        attribution_models.attribution_model,
        cast({{ dbt.date_trunc('month', 'spend.spend_date') }} as date) as period_start,
        spend.channel,
        lower(spend.campaign_id) as campaign,
        'all' as persona,
        cast(0 as {{ type_double() }}) as attributed_conversions,
        cast(0 as {{ type_double() }}) as attributed_orders,
        cast(0 as {{ type_double() }}) as attributed_new_customers,
        cast(0 as {{ type_double() }}) as attributed_revenue,
        cast(0 as {{ type_double() }}) as attributed_gross_margin,
        cast(spend.spend as {{ type_double() }}) as spend
    from spend
    cross join attribution_models
),

facts as (
    select * from credit_facts
    union all
    -- the persona `all` roll-up of the credits
    select
        attribution_model,
        period_start,
        channel,
        campaign,
        'all' as persona,
        attributed_conversions,
        attributed_orders,
        attributed_new_customers,
        attributed_revenue,
        attributed_gross_margin,
        cast(0 as {{ type_double() }}) as spend
    from credit_facts
    union all
    select * from spend_facts
),

aggregated as (
    select
        attribution_model,
        period_start,
        channel,
        campaign,
        persona,
        sum(attributed_conversions) as attributed_conversions,
        sum(attributed_orders) as attributed_orders,
        sum(attributed_new_customers) as attributed_new_customers,
        sum(attributed_revenue) as attributed_revenue,
        sum(attributed_gross_margin) as attributed_gross_margin,
        -- null on per-persona rows (no fact carries spend there), a sum on `all` rows
        sum(spend) as spend
    from facts
    group by 1, 2, 3, 4, 5
),

final as (
    select
        -- keys
        cast(attribution_model as {{ dbt.type_string() }}) as attribution_model,
        period_start,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(campaign as {{ dbt.type_string() }}) as campaign,
        cast(persona as {{ dbt.type_string() }}) as persona,

        -- additive measures
        cast(attributed_conversions as {{ type_double() }}) as attributed_conversions,
        cast(attributed_orders as {{ type_double() }}) as attributed_orders,
        cast(attributed_new_customers as {{ type_double() }}) as attributed_new_customers,
        cast(attributed_revenue as {{ type_double() }}) as attributed_revenue,
        cast(attributed_gross_margin as {{ type_double() }}) as attributed_gross_margin,
        cast(spend as {{ type_double() }}) as spend,

        -- ratios (not additive: re-divide the sums)
        {{ safe_divide('spend', 'attributed_new_customers') }} as attributed_cac,
        {{ safe_divide('attributed_revenue', 'spend') }} as roas
    from aggregated
)

select * from final

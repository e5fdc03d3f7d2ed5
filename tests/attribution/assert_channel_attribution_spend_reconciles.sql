-- mart_channel_attribution: under every attribution model, spend summed over the mart equals
-- the fct_marketing_spend total, to the cent (spend sits on persona `all` rows only, so the
-- per-persona rows add nothing), and every channel x campaign x month with a spend row has
-- its persona `all` row under every model.
with

mart as (
    select * from {{ ref('mart_channel_attribution') }}
),

spend as (
    select * from {{ ref('fct_marketing_spend') }}
),

spend_total as (
    select coalesce(sum(spend), 0) as spend
    from spend
),

spend_keys as (
    select distinct
        cast({{ dbt.date_trunc('month', 'spend_date') }} as date) as period_start,
        channel,
        lower(campaign_id) as campaign
    from spend
),

spend_slices as (
    select count(*) as slices
    from spend_keys
),

attribution_models as (
    {{ attribution_models_rows() }}
),

model_sums as (
    select
        attribution_model,
        sum(coalesce(spend, 0)) as spend,
        sum(case when persona <> 'all' and spend is not null then 1 else 0 end)
            as persona_rows_with_spend
    from mart
    group by 1
),

model_slices as (
    select
        mart.attribution_model,
        count(*) as slices
    from mart
    inner join spend_keys
        on
            mart.period_start = spend_keys.period_start
            and mart.channel = spend_keys.channel
            and mart.campaign = spend_keys.campaign
    where mart.persona = 'all'
    group by 1
)

select
    attribution_models.attribution_model,
    model_sums.spend,
    spend_total.spend as spend_total,
    model_sums.persona_rows_with_spend,
    model_slices.slices,
    spend_slices.slices as spend_slices
from attribution_models
cross join spend_total
cross join spend_slices
left join model_sums
    on attribution_models.attribution_model = model_sums.attribution_model
left join model_slices
    on attribution_models.attribution_model = model_slices.attribution_model
where
    abs(coalesce(model_sums.spend, 0) - coalesce(spend_total.spend, 0)) > 0.005
    or model_sums.persona_rows_with_spend > 0
    or coalesce(model_slices.slices, 0) <> coalesce(spend_slices.slices, 0)

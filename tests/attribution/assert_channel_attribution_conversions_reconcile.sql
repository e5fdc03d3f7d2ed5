-- mart_channel_attribution: under every attribution model, the attributed conversions summed
-- over the persona `all` rows, and summed over the per-persona rows, equal the number of
-- conversions (completed orders and event conversions of int_attribution_touchpoints).
-- A model missing from the mart sums to 0, so it fails as soon as there is a conversion
-- (with no data at all, an empty mart is right).
with

mart as (
    select * from {{ ref('mart_channel_attribution') }}
),

touchpoints as (
    select * from {{ ref('int_attribution_touchpoints') }}
),

conversion_count as (
    select count(distinct conversion_id) as conversions
    from touchpoints
),

attribution_models as (
    {{ attribution_models_rows() }}
),

model_sums as (
    select
        attribution_model,
        sum(case when persona = 'all' then attributed_conversions else 0 end) as all_rows,
        sum(case when persona <> 'all' then attributed_conversions else 0 end) as persona_rows
    from mart
    group by 1
)

select
    attribution_models.attribution_model,
    model_sums.all_rows,
    model_sums.persona_rows,
    conversion_count.conversions
from attribution_models
cross join conversion_count
left join model_sums
    on attribution_models.attribution_model = model_sums.attribution_model
where
    abs(coalesce(model_sums.all_rows, 0) - conversion_count.conversions) > 1e-6
    or abs(coalesce(model_sums.persona_rows, 0) - conversion_count.conversions) > 1e-6

-- kpi_catalog "Attribution and paths": under every attribution model, the credits of one
-- conversion sum to 1 (within 1e-9), and every conversion of int_attribution_touchpoints
-- has credits under every model (a missing conversion or model is a failure too).
with

touchpoints as (
    select * from {{ ref('int_attribution_touchpoints') }}
),

credits as (
    select * from {{ ref('fct_attribution_credits') }}
),

conversions as (
    select distinct conversion_id from touchpoints
),

attribution_models as (
    {{ attribution_models_rows() }}
),

credit_sums as (
    select
        conversion_id,
        attribution_model,
        sum(credit) as credit_total
    from credits
    group by 1, 2
)

select
    conversions.conversion_id,
    attribution_models.attribution_model,
    credit_sums.credit_total
from conversions
cross join attribution_models
left join credit_sums
    on
        conversions.conversion_id = credit_sums.conversion_id
        and attribution_models.attribution_model = credit_sums.attribution_model
where
    credit_sums.credit_total is null
    or abs(credit_sums.credit_total - 1) > 1e-9

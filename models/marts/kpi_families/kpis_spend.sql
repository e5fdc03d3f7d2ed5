-- KPIs of marketing spend, one long row per kpi x channel x period grain x period start
-- (persona always `all`). Channel = the spend row's channel for spend; for new customers
-- (CAC) and for revenue and gross margin (ROAS, ROI: paid channels only, `all` = the paid
-- channels pooled) the touch channel of fct_attribution_credits under the model of var
-- attribution_kpi_model (default last_non_direct; `unattributed` without a touch): a
-- customer's first completed order counts credit new customers, an order credit x amount.
-- A ratio keeps its row when its slice has any input; value is null when the denominator
-- is 0.
{%- set kpi_attribution_model = attribution_kpi_model() %}
with

spend as (
    select * from {{ ref('fct_marketing_spend') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

credits as (
    select * from {{ ref('fct_attribution_credits') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

-- The credits of the one attribution model the catalog KPIs use, on completed orders.
order_credits as (
    select
        credits.channel,
        credits.credit,
        orders.order_number,
        orders.amount,
        orders.gross_margin,
        orders.ordered_date
    from credits
    inner join orders
        on credits.conversion_id = orders.order_id
    where
        credits.attribution_model = '{{ kpi_attribution_model }}'
        and credits.conversion_type = 'order'
        and orders.is_completed
),

-- Channels with spend anywhere in the data: the only channels ROAS and ROI are defined for.
paid_channels as (
    select channel
    from spend
    group by 1
    having sum(spend) > 0
),

spend_facts as (
    select
        channel,
        1 as spend_rows,
        impressions,
        clicks,
        spend,
        case when avg_position is not null then avg_position * impressions end
            as weighted_position,
        case when avg_position is not null then impressions end as positioned_impressions,
        case when is_search then impressions end as search_impressions,
        case when is_search and is_branded then impressions end as branded_search_impressions,
        0 as new_customers,
        0 as revenue,
        0 as paid_attributed_revenue,
        0 as paid_attributed_gross_margin,
        spend_date as fact_date
    from spend
),

new_customer_facts as (
    select
        channel,
        0 as spend_rows,
        0 as impressions,
        0 as clicks,
        0 as spend,
        0 as weighted_position,
        0 as positioned_impressions,
        0 as search_impressions,
        0 as branded_search_impressions,
        credit as new_customers,
        0 as revenue,
        0 as paid_attributed_revenue,
        0 as paid_attributed_gross_margin,
        ordered_date as fact_date
    from order_credits
    where order_number = 1
),

attributed_order_facts as (
    select
        order_credits.channel,
        0 as spend_rows,
        0 as impressions,
        0 as clicks,
        0 as spend,
        0 as weighted_position,
        0 as positioned_impressions,
        0 as search_impressions,
        0 as branded_search_impressions,
        0 as new_customers,
        order_credits.credit * cast(order_credits.amount as {{ type_double() }}) as revenue,
        case
            when paid_channels.channel is not null
                then order_credits.credit * cast(order_credits.amount as {{ type_double() }})
            else 0
        end as paid_attributed_revenue,
        case
            when paid_channels.channel is not null
                then
                    order_credits.credit
                    * cast(order_credits.gross_margin as {{ type_double() }})
            else 0
        end as paid_attributed_gross_margin,
        order_credits.ordered_date as fact_date
    from order_credits
    left join paid_channels
        on order_credits.channel = paid_channels.channel
),

facts as (
    select * from spend_facts
    union all
    select * from new_customer_facts
    union all
    select * from attributed_order_facts
),

fact_slices as (
    {{ kpi_slices(
        'facts', 'fact_date',
        [
            'spend_rows', 'impressions', 'clicks', 'spend', 'weighted_position',
            'positioned_impressions', 'search_impressions', 'branded_search_impressions',
            'new_customers', 'revenue', 'paid_attributed_revenue',
            'paid_attributed_gross_margin',
        ],
        slice_personas=false
    ) }}
),

spend_periods as (
    select
        period_grain,
        period_start,
        channel,
        persona,
        sum(spend_rows) as spend_rows,
        coalesce(sum(impressions), 0) as impressions,
        coalesce(sum(clicks), 0) as clicks,
        coalesce(sum(spend), 0) as spend,
        coalesce(sum(weighted_position), 0) as weighted_position,
        coalesce(sum(positioned_impressions), 0) as positioned_impressions,
        coalesce(sum(search_impressions), 0) as search_impressions,
        coalesce(sum(branded_search_impressions), 0) as branded_search_impressions,
        sum(new_customers) as new_customers,
        coalesce(sum(revenue), 0) as revenue,
        coalesce(sum(paid_attributed_revenue), 0) as paid_attributed_revenue,
        coalesce(sum(paid_attributed_gross_margin), 0) as paid_attributed_gross_margin
    from fact_slices
    group by 1, 2, 3, 4
),

final as (
    select {{ kpi_row('impressions', 'awareness', 'impressions', kind='total') }}
    from spend_periods
    where spend_rows > 0
    union all
    select {{ kpi_row('clicks', 'awareness', 'clicks', kind='total') }}
    from spend_periods
    where spend_rows > 0
    union all
    select {{ kpi_row('click_through_rate', 'awareness', 'clicks', 'impressions') }}
    from spend_periods
    where clicks <> 0 or impressions <> 0
    union all
    select
        {{ kpi_row(
            'avg_search_position', 'awareness', 'weighted_position', 'positioned_impressions'
        ) }}
    from spend_periods
    where weighted_position <> 0 or positioned_impressions <> 0
    union all
    select
        {{ kpi_row(
            'branded_search_share', 'awareness',
            'branded_search_impressions', 'search_impressions'
        ) }}
    from spend_periods
    where branded_search_impressions <> 0 or search_impressions <> 0
    union all
    select {{ kpi_row('marketing_spend', 'awareness', 'spend', kind='total') }}
    from spend_periods
    where spend_rows > 0
    union all
    select
        {{ kpi_row('customer_acquisition_cost', 'conversion', 'spend', 'new_customers') }}
    from spend_periods
    where spend <> 0 or new_customers <> 0
    union all
    select
        {{ kpi_row('return_on_ad_spend', 'conversion', 'paid_attributed_revenue', 'spend') }}
    from spend_periods
    where spend <> 0 or paid_attributed_revenue <> 0 or paid_attributed_gross_margin <> 0
    union all
    select
        {{ kpi_row(
            'marketing_roi', 'conversion',
            marketing_return('paid_attributed_gross_margin', 'spend'), 'spend'
        ) }}
    from spend_periods
    where spend <> 0 or paid_attributed_revenue <> 0 or paid_attributed_gross_margin <> 0
    union all
    select {{ kpi_row('marketing_efficiency_ratio', 'conversion', 'revenue', 'spend') }}
    from spend_periods
    where channel = 'all' and (spend <> 0 or revenue <> 0)
)

select * from final

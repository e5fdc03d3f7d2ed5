-- One row per customer as of the data date: health components and score, at-risk flag,
-- support tickets, the unresolved-complaints segments, persona, acquisition channel and churn.
-- Macro segment: the top decile of the customers with at least one unresolved ticket, ranked
-- by unresolved tickets (rank(): customers tied at the cut-off are all in). Micro segment:
-- macro-segment customers who churned after their first support contact.
with

health as (
    select * from {{ ref('kpis_customer_health_components') }}
),

complainers as (
    select
        person_id,
        rank() over (order by tickets_unresolved desc) as unresolved_rank,
        count(*) over () as complainers
    from health
    where tickets_unresolved >= 1
),

final as (
    select
        -- ids
        health.person_id,

        -- strings
        health.acquisition_channel,
        health.persona,

        -- numerics
        cast(health.satisfaction_score as {{ dbt.type_int() }}) as satisfaction_score,
        cast(health.activity_trend_score as {{ dbt.type_int() }}) as activity_trend_score,
        cast(health.support_score as {{ dbt.type_int() }}) as support_score,
        cast(health.purchases_score as {{ dbt.type_int() }}) as purchases_score,
        cast(health.health_score as {{ type_double() }}) as health_score,
        cast(health.recent_active_days as {{ dbt.type_int() }}) as recent_active_days,
        cast(health.earlier_active_days as {{ dbt.type_int() }}) as earlier_active_days,
        cast(health.tickets_opened as {{ dbt.type_int() }}) as tickets_opened,
        cast(health.tickets_unresolved as {{ dbt.type_int() }}) as tickets_unresolved,
        cast(complainers.unresolved_rank as {{ dbt.type_int() }}) as unresolved_complaints_rank,

        -- booleans
        health.is_at_risk,
        coalesce(
            {{ is_in_top_decile('complainers.unresolved_rank', 'complainers.complainers') }},
            false
        ) as is_unresolved_complaints_macro_segment,
        coalesce(
            {{ is_in_top_decile('complainers.unresolved_rank', 'complainers.complainers') }}
            and health.is_churned
            and health.churned_at > health.first_ticket_opened_at,
            false
        ) as is_unresolved_complaints_micro_segment,
        health.is_churned,

        -- dates
        health.as_of_date,

        -- timestamps
        health.first_order_at,
        health.last_order_at,
        health.last_activity_at,
        health.first_ticket_opened_at,
        health.churn_due_at,
        health.churned_at
    from health
    left join complainers
        on health.person_id = complainers.person_id
)

select * from final

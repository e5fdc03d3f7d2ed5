with

journey_stages as (
    select * from {{ ref('journey_stages') }}
),

final as (
    select
        journey_stage,
        cast(stage_order as integer) as stage_order,
        description
    from journey_stages
)

select * from final

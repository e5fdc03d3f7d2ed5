with

checked as (
    select * from {{ ref('base_ads__marketing_spend_checked') }}
),

final as (
    select
        -- ids
        {{ dbt.hash(dbt.concat([
            dbt.safe_cast('spend_date', dbt.type_string()), "'|'", 'channel', "'|'", 'campaign_id'
        ])) }} as marketing_spend_id,
        campaign_id,

        -- strings
        channel,

        -- numerics
        impressions,
        clicks,
        spend,
        avg_position,

        -- booleans
        is_branded,

        -- dates and timestamps
        spend_date,
        loaded_at
    from checked
    where reject_reason is null
)

select * from final

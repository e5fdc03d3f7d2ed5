{#- A table, not a view: every raw row is parsed and checked once per build, and the clean
    and rejects views on top are cheap filters (measured: README, "Build time"). -#}
{{ config(materialized=var('staging_base_materialization', 'table')) }}
{{ demo_seed_dependency('marketing_spend') }}

with

source as (
    select * from {{ source('ads', 'marketing_spend') }}
),

conformed as (
    -- every column of the raw contract; an optional one the table lacks is null
    select {{ contract_columns('ads', 'marketing_spend') }}
    from source
),

cleaned as (
    select
        -- ids
        {{ clean_text('campaign_id') }} as campaign_id,

        -- strings
        {{ clean_code('channel') }} as channel,

        -- numerics and booleans, as text
        {{ clean_text('impressions') }} as impressions_text,
        {{ clean_text('clicks') }} as clicks_text,
        {{ clean_text('spend') }} as spend_text,
        {{ clean_text('avg_position') }} as avg_position_text,
        {{ clean_text('is_branded') }} as is_branded_text,

        -- dates and timestamps, as text
        {{ clean_text('spend_date') }} as spend_date_text,
        {{ clean_text('_loaded_at') }} as loaded_at_text
    from conformed
),

parsed as (
    select
        *,
        {{ parse_integer('impressions_text') }} as impressions,
        {{ parse_integer('clicks_text') }} as clicks,
        {{ parse_number('spend_text') }} as spend,
        {{ parse_number('avg_position_text') }} as avg_position,
        {{ parse_boolean('is_branded_text') }} as is_branded,
        {{ parse_date('spend_date_text') }} as spend_date,
        {{ parse_timestamp('loaded_at_text') }} as loaded_at
    from cleaned
),

ranked as (
    select
        *,
        {{ load_rank(['spend_date', 'channel', 'campaign_id'], [
            'impressions_text', 'clicks_text', 'spend_text', 'avg_position_text',
            'is_branded_text'
        ]) }} as load_rank
    from parsed
),

checked as (
    select
        *,
        case
            when spend_date_text is null then 'missing_spend_date'
            when spend_date is null then 'malformed_spend_date'
            when channel is null then 'missing_channel'
            when campaign_id is null then 'missing_campaign_id'
            when load_rank > 1 then 'duplicate'
            when spend_date > {{ future_cutoff() }} then 'future_spend_date'
            when spend_date < {{ past_cutoff() }} then 'implausible_past'
            when channel not in {{ sql_list(channel_codes()) }}
                then 'unknown_channel'
            when
                impressions is null
                or clicks is null
                or spend is null
                or {{ is_malformed('avg_position_text', 'avg_position') }}
                or {{ is_malformed('is_branded_text', 'is_branded') }}
                then 'malformed_metric'
            when impressions < 0 or clicks < 0 or spend < 0 then 'negative_metric'
            when clicks > impressions then 'clicks_exceed_impressions'
            when avg_position < 1 then 'invalid_avg_position'
        end as reject_reason
    from ranked
)

select * from checked

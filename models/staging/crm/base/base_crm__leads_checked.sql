{#- A table, not a view: every raw row is parsed and checked once per build, and the clean
    and rejects views on top are cheap filters (measured: README, "Build time"). -#}
{{ config(materialized=var('staging_base_materialization', 'table')) }}
{{ demo_seed_dependency('leads') }}

with

source as (
    select * from {{ source('crm', 'leads') }}
),

conformed as (
    -- every column of the raw contract; an optional one the table lacks is null
    select {{ contract_columns('crm', 'leads') }}
    from source
),

cleaned as (
    select
        -- ids
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('user_id') }} as user_id,

        -- strings (the raw e-mail is hashed here and stored nowhere: see hash_email)
        case
            when {{ clean_text('email') }} is not null
                then {{ hash_email(clean_text('email')) }}
        end as email_hash,
        {{ clean_code('lead_source') }} as lead_source,
        {{ clean_code('job_role') }} as job_role,
        {{ clean_code('company_size') }} as company_size,
        {{ clean_code('industry') }} as industry,

        -- numerics, as text
        {{ clean_text('deal_amount') }} as deal_amount_text,

        -- timestamps, as text
        {{ clean_text('created_at') }} as created_at_text,
        {{ clean_text('mql_at') }} as mql_at_text,
        {{ clean_text('sql_at') }} as sql_at_text,
        {{ clean_text('opportunity_at') }} as opportunity_at_text,
        {{ clean_text('won_at') }} as won_at_text,
        {{ clean_text('lost_at') }} as lost_at_text,
        {{ clean_text('_loaded_at') }} as loaded_at_text
    from conformed
),

parsed as (
    select
        *,
        {{ parse_number('deal_amount_text') }} as deal_amount,
        {{ parse_timestamp('created_at_text') }} as created_at,
        {{ parse_timestamp('mql_at_text') }} as mql_at,
        {{ parse_timestamp('sql_at_text') }} as sql_at,
        {{ parse_timestamp('opportunity_at_text') }} as opportunity_at,
        {{ parse_timestamp('won_at_text') }} as won_at,
        {{ parse_timestamp('lost_at_text') }} as lost_at,
        {{ parse_timestamp('loaded_at_text') }} as loaded_at
    from cleaned
),

ranked as (
    select
        *,
        {{ load_rank(['lead_id'], [
            'user_id', 'email_hash', 'lead_source', 'job_role', 'company_size', 'industry',
            'deal_amount_text', 'created_at_text', 'mql_at_text', 'sql_at_text',
            'opportunity_at_text', 'won_at_text', 'lost_at_text'
        ]) }} as load_rank
    from parsed
),

checked as (
    select
        *,
        case
            when lead_id is null then 'missing_lead_id'
            when load_rank > 1 then 'duplicate'
            when created_at_text is null then 'missing_created_at'
            when created_at is null then 'malformed_created_at'
            when created_at > {{ future_cutoff() }} then 'future_created_at'
            when
                created_at < {{ past_cutoff() }}
                or mql_at < {{ past_cutoff() }}
                or sql_at < {{ past_cutoff() }}
                or opportunity_at < {{ past_cutoff() }}
                or won_at < {{ past_cutoff() }}
                or lost_at < {{ past_cutoff() }}
                then 'implausible_past'
            when
                {{ is_malformed('mql_at_text', 'mql_at') }}
                or {{ is_malformed('sql_at_text', 'sql_at') }}
                or {{ is_malformed('opportunity_at_text', 'opportunity_at') }}
                or {{ is_malformed('won_at_text', 'won_at') }}
                or {{ is_malformed('lost_at_text', 'lost_at') }}
                then 'malformed_lifecycle_at'
            when {{ is_malformed('deal_amount_text', 'deal_amount') }}
                then 'malformed_deal_amount'
            when deal_amount < 0 then 'negative_deal_amount'
        end as reject_reason
    from ranked
)

select * from checked

with

checked as (
    select * from {{ ref('base_tracking__events_checked') }}
),

final as (
    select
        -- ids
        event_id,
        anonymous_id,
        user_id,
        ticket_id_text as ticket_id,
        order_id_text as order_id,

        -- strings
        event_type,
        page_url,
        referrer_url,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        case
            when device_text in {{ sql_list(devices()) }}
                then device_text
            else 'other'
        end as device,
        feature_text as feature_name,
        content_asset_text as content_asset,
        video_id_text as video_id,
        form_id_text as form_id,
        plan_text as plan_name,
        campaign_id_text as email_campaign_id,
        referral_code_text as referral_code,
        properties,

        -- numerics
        scroll_depth_pct,
        {{ parse_integer('step_text') }} as onboarding_step,
        {{ parse_integer('total_steps_text') }} as onboarding_total_steps,
        {{ parse_number('revenue_text') }} as revenue,
        {{ parse_number('engagement_time_s_text') }} as engagement_time_s,

        -- timestamps
        occurred_at,
        loaded_at
    from checked
    where reject_reason is null
)

select * from final

-- One row per channel x persona x month: the consideration KPIs side by side, pivoted from
-- mart_kpi_values (so they cannot disagree with it). `all` rows are the roll-ups.
{{ kpi_stage_mart('consideration', [
    'bounce_rate', 'engagement_rate', 'avg_session_duration_s', 'pages_per_session',
    'events_per_session', 'avg_time_on_page_s', 'avg_scroll_depth_pct', 'content_downloads',
    'content_shares', 'video_completion_rate', 'repeat_visit_rate', 'visitor_to_lead_rate',
    'landing_page_conversion_rate', 'lead_score', 'mql_count',
]) }}

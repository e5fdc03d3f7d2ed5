-- One row per channel x persona x month: the awareness KPIs side by side, pivoted from
-- mart_kpi_values (so they cannot disagree with it). `all` rows are the roll-ups.
{{ kpi_stage_mart('awareness', [
    'impressions', 'clicks', 'click_through_rate', 'avg_search_position',
    'branded_search_share', 'marketing_spend', 'sessions', 'unique_visitors',
    'traffic_share', 'new_visitor_share', 'brand_recall_rate',
]) }}

-- One row per channel x persona x month: the conversion KPIs side by side, pivoted from
-- mart_kpi_values (so they cannot disagree with it). `all` rows are the roll-ups.
{{ kpi_stage_mart('conversion', [
    'lead_to_mql_rate', 'mql_to_sql_rate', 'lead_to_sql_rate', 'sql_to_won_rate',
    'lead_score_band_conversion_rate', 'average_deal_size', 'conversion_rate',
    'visitor_conversion_rate', 'cart_abandonment_rate', 'trial_to_paid_rate', 'revenue',
    'orders', 'average_order_value', 'new_customers', 'time_to_conversion_days',
    'time_to_conversion_days_median', 'touches_to_conversion', 'touches_to_conversion_median',
    'customer_acquisition_cost',
    'return_on_ad_spend', 'marketing_roi',
]) }}

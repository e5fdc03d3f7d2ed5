-- One row per channel x persona x month: the retention KPIs side by side, pivoted from
-- mart_kpi_values (so they cannot disagree with it). `all` rows are the roll-ups.
{{ kpi_stage_mart('retention', [
    'repeat_purchase_rate', 'customer_retention_rate', 'churn_rate',
    'cohort_retention_month_1', 'cohort_retention_month_3', 'customer_lifetime_value',
    'customer_gross_margin_to_date', 'customer_lifetime_value_predicted',
    'ltv_to_cac_ratio', 'csat', 'customer_effort_score', 'customer_health_score',
    'at_risk_customer_share', 'unresolved_complaints',
]) }}

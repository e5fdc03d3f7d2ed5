-- One row per channel x persona x month: the onboarding KPIs side by side, pivoted from
-- mart_kpi_values (so they cannot disagree with it). `all` rows are the roll-ups.
{{ kpi_stage_mart('onboarding', [
    'onboarding_completion_rate', 'feature_adoption_rate', 'active_users',
    'new_user_growth_rate', 'in_app_purchases', 'in_app_purchase_revenue',
]) }}

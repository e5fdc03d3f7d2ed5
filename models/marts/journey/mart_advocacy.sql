-- One row per channel x persona x month: the advocacy KPIs side by side, pivoted from
-- mart_kpi_values (so they cannot disagree with it). `all` rows are the roll-ups.
{{ kpi_stage_mart('advocacy', [
    'nps', 'review_rating', 'review_count', 'referrals_sent', 'referral_conversion_rate',
]) }}

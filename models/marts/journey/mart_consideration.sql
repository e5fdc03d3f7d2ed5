-- One row per channel x persona x month: the consideration KPIs side by side, pivoted from
-- mart_kpi_values (so they cannot disagree with it). `all` rows are the roll-ups. The
-- columns come from the one list of KPIs, macro kpi_catalog().
{{ kpi_stage_mart('consideration') }}

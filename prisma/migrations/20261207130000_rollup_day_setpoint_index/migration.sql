-- The setpoint changes' candidate days read from this index alone (lib/kpi/setpoint-changes.ts): each
-- series' days with a setpoint, in order, without reading the wide rollup rows or sorting them.
-- CreateIndex
CREATE INDEX "observation_rollup_day_setpoint_idx" ON "observation_rollup_day"("tenant_id", "site_id", "facility_id", "cluster_id", "zone_id", "dataset_version_id", "bucket", "setpoint_min_c", "setpoint_max_c") WHERE (setpoint_min_c IS NOT NULL);

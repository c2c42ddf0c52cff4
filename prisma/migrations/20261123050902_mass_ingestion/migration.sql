-- CreateEnum
CREATE TYPE "MassKind" AS ENUM ('enterprise', 'simple');

-- CreateEnum
CREATE TYPE "MassStatus" AS ENUM ('pending', 'processing', 'done', 'failed');

-- CreateTable
CREATE TABLE "mass_request" (
    "id" UUID NOT NULL,
    "kind" "MassKind" NOT NULL,
    "schema_version" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "site_id" TEXT,
    "facility_id" TEXT,
    "cluster_id" TEXT,
    "zone_id" TEXT,
    "correlation_id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "principal_key" TEXT NOT NULL,
    "payload_hash" TEXT NOT NULL,
    "raw" JSON NOT NULL,
    "normalized" JSONB NOT NULL,
    "warnings" JSONB NOT NULL,
    "status" "MassStatus" NOT NULL DEFAULT 'pending',
    "response_status" INTEGER NOT NULL,
    "response_body" JSONB NOT NULL,
    "traceparent" TEXT,
    "trace_id" TEXT,
    "span_id" TEXT,
    "created_by_type" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "normalized_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "deleted_by" TEXT,

    CONSTRAINT "mass_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "observation" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "facility_id" TEXT,
    "cluster_id" TEXT,
    "zone_id" TEXT,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "interval_end" TIMESTAMPTZ(3) NOT NULL,
    "mass_request_id" UUID,
    "it_load_kw" DOUBLE PRECISION,
    "facility_power_kw" DOUBLE PRECISION,
    "ups_efficiency_pct" DOUBLE PRECISION,
    "pue_reported" DOUBLE PRECISION,
    "carbon_intensity_gco2_per_kwh" DOUBLE PRECISION,
    "energy_price_per_kwh" DOUBLE PRECISION,
    "currency" TEXT,
    "avg_rack_inlet_c" DOUBLE PRECISION,
    "p95_rack_inlet_c" DOUBLE PRECISION,
    "hotspot_rack_count" INTEGER,
    "supply_temp_c" DOUBLE PRECISION,
    "return_temp_c" DOUBLE PRECISION,
    "cooling_setpoint_c" DOUBLE PRECISION,
    "chiller_kw" DOUBLE PRECISION,
    "fan_power_kw" DOUBLE PRECISION,
    "cooling_valve_position_pct" DOUBLE PRECISION,
    "cpu_util_pct" DOUBLE PRECISION,
    "gpu_util_pct" DOUBLE PRECISION,
    "queue_depth" INTEGER,
    "batch_pct" DOUBLE PRECISION,
    "latency_sensitive_pct" DOUBLE PRECISION,
    "tokens_per_watt_est" DOUBLE PRECISION,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "observation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "mass_request_tenant_id_received_at_idx" ON "mass_request"("tenant_id", "received_at");

-- CreateIndex
CREATE INDEX "mass_request_tenant_id_site_id_received_at_idx" ON "mass_request"("tenant_id", "site_id", "received_at");

-- CreateIndex
CREATE INDEX "mass_request_correlation_id_idx" ON "mass_request"("correlation_id");

-- CreateIndex
CREATE INDEX "mass_request_request_id_idx" ON "mass_request"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "mass_request_principal_key_idempotency_key_key" ON "mass_request"("principal_key", "idempotency_key");

-- CreateIndex
CREATE INDEX "observation_tenant_id_site_id_interval_start_idx" ON "observation"("tenant_id", "site_id", "interval_start");

-- CreateIndex
CREATE INDEX "observation_mass_request_id_idx" ON "observation"("mass_request_id");

-- AddForeignKey
ALTER TABLE "observation" ADD CONSTRAINT "observation_mass_request_id_fkey" FOREIGN KEY ("mass_request_id") REFERENCES "mass_request"("id") ON DELETE SET NULL ON UPDATE CASCADE;

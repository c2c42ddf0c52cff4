-- CreateTable
CREATE TABLE "recommendation_job" (
    "id" UUID NOT NULL,
    "mass_request_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "run_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_at" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "recommendation_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "biocore_call" (
    "id" UUID NOT NULL,
    "mass_request_id" UUID NOT NULL,
    "job_id" UUID,
    "tenant_id" TEXT NOT NULL,
    "engine" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "attempt_log" JSONB NOT NULL,
    "outcome" TEXT NOT NULL,
    "http_status" INTEGER,
    "breaker_state" TEXT NOT NULL,
    "cache" TEXT NOT NULL,
    "cache_age_seconds" INTEGER,
    "request_key" TEXT NOT NULL,
    "error_kind" TEXT,
    "error_message" TEXT,
    "biocore_version" TEXT,
    "model_name" TEXT,
    "model_version" TEXT,
    "policy_id" TEXT,
    "status_code" TEXT,
    "summary" JSONB,
    "guardrails" JSONB,
    "traceparent" TEXT,
    "trace_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "biocore_call_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recommendation" (
    "id" UUID NOT NULL,
    "mass_request_id" UUID NOT NULL,
    "call_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "site_id" TEXT,
    "cluster_id" TEXT,
    "zone_id" TEXT,
    "rec_id" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "action" JSONB NOT NULL,
    "expected_impact" JSONB NOT NULL,
    "explainability" JSONB NOT NULL,
    "trace" JSONB NOT NULL,
    "model_name" TEXT NOT NULL,
    "model_version" TEXT NOT NULL,
    "policy_id" TEXT NOT NULL,
    "stale" BOOLEAN NOT NULL DEFAULT false,
    "actionable" BOOLEAN NOT NULL,
    "violations" JSONB NOT NULL DEFAULT '[]',
    "energy_kwh_24h" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'new',
    "status_comment" TEXT,
    "status_by" TEXT,
    "status_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recommendation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "recommendation_job_status_run_after_idx" ON "recommendation_job"("status", "run_after");

-- CreateIndex
CREATE INDEX "recommendation_job_mass_request_id_idx" ON "recommendation_job"("mass_request_id");

-- CreateIndex
CREATE INDEX "biocore_call_mass_request_id_started_at_idx" ON "biocore_call"("mass_request_id", "started_at");

-- CreateIndex
CREATE INDEX "biocore_call_started_at_idx" ON "biocore_call"("started_at");

-- CreateIndex
CREATE INDEX "recommendation_tenant_id_created_at_idx" ON "recommendation"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "recommendation_mass_request_id_idx" ON "recommendation"("mass_request_id");

-- AddForeignKey
ALTER TABLE "recommendation_job" ADD CONSTRAINT "recommendation_job_mass_request_id_fkey" FOREIGN KEY ("mass_request_id") REFERENCES "mass_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "biocore_call" ADD CONSTRAINT "biocore_call_mass_request_id_fkey" FOREIGN KEY ("mass_request_id") REFERENCES "mass_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendation" ADD CONSTRAINT "recommendation_mass_request_id_fkey" FOREIGN KEY ("mass_request_id") REFERENCES "mass_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendation" ADD CONSTRAINT "recommendation_call_id_fkey" FOREIGN KEY ("call_id") REFERENCES "biocore_call"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "recommendation_implementation" (
    "id" UUID NOT NULL,
    "recommendation_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "effective_at" TIMESTAMPTZ(3),
    "applied_value" DOUBLE PRECISION,
    "note" TEXT,
    "reason" TEXT,
    "site_id" TEXT,
    "cluster_id" TEXT,
    "zone_id" TEXT,
    "boundary" TEXT,
    "baseline_from" TIMESTAMPTZ(3),
    "reporting_from" TIMESTAMPTZ(3),
    "reporting_to" TIMESTAMPTZ(3),
    "study_id" UUID,
    "verification_status" TEXT,
    "verification_note" TEXT,
    "checked_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "created_by_type" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recommendation_implementation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "recommendation_implementation_recommendation_id_key" ON "recommendation_implementation"("recommendation_id");

-- CreateIndex
CREATE UNIQUE INDEX "recommendation_implementation_study_id_key" ON "recommendation_implementation"("study_id");

-- CreateIndex
CREATE INDEX "recommendation_implementation_tenant_id_site_id_outcome_idx" ON "recommendation_implementation"("tenant_id", "site_id", "outcome");

-- CreateIndex
CREATE INDEX "recommendation_implementation_verification_status_idx" ON "recommendation_implementation"("verification_status");

-- AddForeignKey
ALTER TABLE "recommendation_implementation" ADD CONSTRAINT "recommendation_implementation_recommendation_id_fkey" FOREIGN KEY ("recommendation_id") REFERENCES "recommendation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendation_implementation" ADD CONSTRAINT "recommendation_implementation_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "mv_study"("id") ON DELETE SET NULL ON UPDATE CASCADE;

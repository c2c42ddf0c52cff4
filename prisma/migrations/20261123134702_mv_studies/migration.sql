-- CreateTable
CREATE TABLE "mv_study" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "current_revision" INTEGER NOT NULL DEFAULT 1,
    "created_by_type" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mv_study_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mv_study_revision" (
    "id" UUID NOT NULL,
    "study_id" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "note" TEXT,
    "created_by_type" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mv_study_revision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mv_report" (
    "id" UUID NOT NULL,
    "study_id" UUID NOT NULL,
    "revision_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "method_version" TEXT NOT NULL,
    "app_version" TEXT NOT NULL,
    "git_commit" TEXT,
    "dataset_versions" JSONB NOT NULL,
    "inputs_hash" TEXT NOT NULL,
    "results_hash" TEXT NOT NULL,
    "results" TEXT NOT NULL,
    "avoided_kwh" DOUBLE PRECISION NOT NULL,
    "uncertainty90_kwh" DOUBLE PRECISION NOT NULL,
    "pass" BOOLEAN NOT NULL,
    "trace_id" TEXT,
    "created_by_type" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mv_report_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "mv_study_tenant_id_created_at_idx" ON "mv_study"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "mv_study_revision_study_id_revision_key" ON "mv_study_revision"("study_id", "revision");

-- CreateIndex
CREATE INDEX "mv_report_study_id_created_at_idx" ON "mv_report"("study_id", "created_at");

-- AddForeignKey
ALTER TABLE "mv_study_revision" ADD CONSTRAINT "mv_study_revision_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "mv_study"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mv_report" ADD CONSTRAINT "mv_report_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "mv_study"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mv_report" ADD CONSTRAINT "mv_report_revision_id_fkey" FOREIGN KEY ("revision_id") REFERENCES "mv_study_revision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: a study's revisions and its reports are immutable. Editing a study inserts a new
-- revision; running it inserts a report. Nothing updates or deletes either.
CREATE FUNCTION mv_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is immutable (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER mv_study_revision_immutable
  BEFORE UPDATE OR DELETE ON "mv_study_revision"
  FOR EACH ROW EXECUTE FUNCTION mv_immutable();

CREATE TRIGGER mv_report_immutable
  BEFORE UPDATE OR DELETE ON "mv_report"
  FOR EACH ROW EXECUTE FUNCTION mv_immutable();

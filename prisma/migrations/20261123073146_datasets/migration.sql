-- AlterTable
ALTER TABLE "observation" ADD COLUMN     "dataset_version_id" UUID,
ADD COLUMN     "interval_seconds" INTEGER,
ADD COLUMN     "outdoor_temp_c" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "dataset" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_by_type" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_version" (
    "id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'loading',
    "filename" TEXT,
    "size_bytes" BIGINT NOT NULL,
    "on_error" TEXT NOT NULL,
    "row_count" INTEGER NOT NULL DEFAULT 0,
    "rejected_count" INTEGER NOT NULL DEFAULT 0,
    "duplicate_count" INTEGER NOT NULL DEFAULT 0,
    "time_start" TIMESTAMPTZ(3),
    "time_end" TIMESTAMPTZ(3),
    "interval_seconds" INTEGER,
    "columns" JSONB NOT NULL DEFAULT '[]',
    "series" JSONB NOT NULL DEFAULT '[]',
    "warnings" JSONB NOT NULL DEFAULT '[]',
    "quality" JSONB NOT NULL DEFAULT '{}',
    "uploaded_by_type" TEXT NOT NULL,
    "uploaded_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_version_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "dataset_tenant_id_name_key" ON "dataset"("tenant_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_version_dataset_id_version_key" ON "dataset_version"("dataset_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_version_dataset_id_sha256_key" ON "dataset_version"("dataset_id", "sha256");

-- CreateIndex
CREATE INDEX "observation_dataset_version_id_interval_start_idx" ON "observation"("dataset_version_id", "interval_start");

-- AddForeignKey
ALTER TABLE "observation" ADD CONSTRAINT "observation_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_version"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_version" ADD CONSTRAINT "dataset_version_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: dataset versions are immutable. A version is inserted as 'loading' (its
-- observations point at it while they stream in) and marked 'ready' once, with its hash and
-- statistics, in the transaction that loads it; after that nothing changes and nothing is deleted.
-- Observations loaded from a version are immutable with it.
CREATE FUNCTION dataset_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.state = 'loading' AND NEW.state = 'ready'
     AND NEW.id = OLD.id AND NEW.dataset_id = OLD.dataset_id AND NEW.version = OLD.version
     AND NEW.on_error = OLD.on_error AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'dataset_version is immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER dataset_version_immutable
  BEFORE UPDATE OR DELETE ON "dataset_version"
  FOR EACH ROW EXECUTE FUNCTION dataset_version_immutable();

CREATE FUNCTION observation_dataset_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.dataset_version_id IS NOT NULL THEN
    RAISE EXCEPTION 'observations of a dataset version are immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER observation_dataset_immutable
  BEFORE UPDATE OR DELETE ON "observation"
  FOR EACH ROW EXECUTE FUNCTION observation_dataset_immutable();

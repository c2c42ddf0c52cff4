-- Hand-written: what a CSV load maintains per row, made cheaper (issue 19, BENCHMARKS.md "CSV bulk
-- load"). Dataset rows never have a MASS request, so the mass_request_id index keeps only the rows
-- that have one (a lookup by request id implies "is not null" and still uses it). The foreign key
-- from observation.dataset_version_id, checked by a query per inserted row (about as long as the
-- COPY of the row itself), becomes one check per statement over the rows it wrote: the same refusal
-- of an unknown version, once per COPY rather than a million times. What the key also did on the
-- other side cannot happen: a version is never updated in its id nor deleted (trigger
-- dataset_version_immutable), and the app's role may not truncate.

-- DropIndex
DROP INDEX "observation_mass_request_id_idx";

-- CreateIndex
CREATE INDEX "observation_mass_request_id_idx" ON "observation"("mass_request_id") WHERE (mass_request_id IS NOT NULL);

-- DropForeignKey
ALTER TABLE "observation" DROP CONSTRAINT "observation_dataset_version_id_fkey";

CREATE FUNCTION observation_dataset_version_exists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing uuid;
BEGIN
  SELECT n.dataset_version_id INTO missing
    FROM (SELECT DISTINCT dataset_version_id FROM written WHERE dataset_version_id IS NOT NULL) n
   WHERE NOT EXISTS (SELECT 1 FROM dataset_version v WHERE v.id = n.dataset_version_id)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insert or update on table "observation" violates the reference to dataset_version: no version %', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER observation_dataset_version_exists_insert
  AFTER INSERT ON "observation" REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION observation_dataset_version_exists();

CREATE TRIGGER observation_dataset_version_exists_update
  AFTER UPDATE ON "observation" REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION observation_dataset_version_exists();

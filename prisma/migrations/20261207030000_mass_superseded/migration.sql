-- Repeated MASS timestamps are settled when writing rather than when reading. Of the live MASS
-- readings for one series (tenant, site, facility, cluster, zone) and interval_start, the latest
-- received (the highest observation id) counts; the others now carry superseded_at, which the app
-- sets when it stores a later reading and clears when that one is tombstoned
-- (lib/rollups/refresh-mass.ts). Reads test one column of the row instead of probing for a later
-- reading (lib/rollups/measures.ts, liveMassSql).

-- AlterTable
ALTER TABLE "observation" ADD COLUMN     "superseded_at" TIMESTAMPTZ(3);

-- Hand-written: mark the live MASS readings that a later live reading of the same series and
-- interval_start already supersedes (the rule *_mass_repeats_once applied when reading). The
-- rollups need no change: they already count the latest reading only.
UPDATE "observation" o SET "superseded_at" = now()
 WHERE o.dataset_version_id IS NULL AND o.mass_request_id IS NOT NULL AND o.deleted_at IS NULL
   AND EXISTS (SELECT 1 FROM "observation" later
                WHERE later.tenant_id = o.tenant_id AND later.site_id = o.site_id AND later.interval_start = o.interval_start
                  AND later.facility_id IS NOT DISTINCT FROM o.facility_id AND later.cluster_id IS NOT DISTINCT FROM o.cluster_id
                  AND later.zone_id IS NOT DISTINCT FROM o.zone_id
                  AND later.dataset_version_id IS NULL AND later.mass_request_id IS NOT NULL AND later.deleted_at IS NULL
                  AND later.id > o.id);

-- CreateIndex
CREATE INDEX "observation_live_mass_idx" ON "observation"("tenant_id", "site_id", "interval_start") WHERE (dataset_version_id IS NULL AND mass_request_id IS NOT NULL AND deleted_at IS NULL AND superseded_at IS NULL);

-- Statuses that follow processing. A recommendation's status now follows its recorded outcome (implemented | rejected) and the close
-- of its verification (verified). Hand-written: no schema change, only the statuses of rows recorded
-- before this rule.
UPDATE "recommendation" AS r
SET "status" = CASE
      WHEN i."outcome" = 'rejected' THEN 'rejected'
      WHEN i."verification_status" = 'closed' THEN 'verified'
      ELSE 'implemented'
    END,
    "status_by" = coalesce(r."status_by", i."created_by_type" || ':' || i."created_by_id"),
    "status_at" = coalesce(i."closed_at", i."created_at")
FROM "recommendation_implementation" AS i
WHERE i."recommendation_id" = r."id";

-- A MASS request's status now follows its recommendation jobs (lib/biocore/jobs.ts). Requests left
-- pending by the old rule: done when a job of theirs is done, failed when all their jobs failed.
UPDATE "mass_request" AS m SET "status" = 'done'
WHERE m."status" IN ('pending', 'processing')
  AND EXISTS (SELECT 1 FROM "recommendation_job" j WHERE j."mass_request_id" = m."id" AND j."status" = 'done');
UPDATE "mass_request" AS m SET "status" = 'failed'
WHERE m."status" IN ('pending', 'processing')
  AND EXISTS (SELECT 1 FROM "recommendation_job" j WHERE j."mass_request_id" = m."id")
  AND NOT EXISTS (SELECT 1 FROM "recommendation_job" j WHERE j."mass_request_id" = m."id" AND j."status" <> 'failed');

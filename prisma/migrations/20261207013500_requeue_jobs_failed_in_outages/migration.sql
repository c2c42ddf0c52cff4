-- Jobs no longer fail for a BioCore outage (lib/biocore/worker.ts): they wait, backing off. Jobs
-- that failed for good in an outage before this change come back to the queue, and their MASS
-- requests from failed to pending. Outage errors are stored as "<kind>: <message>"; a refused
-- request (HTTP 4xx other than 429) stays failed.
WITH requeued AS (
  UPDATE "recommendation_job"
     SET "status" = 'pending', "run_after" = now(), "locked_at" = NULL, "locked_by" = NULL, "updated_at" = now()
   WHERE "status" = 'failed'
     AND ("last_error" ~ '^(timeout|network|circuit_open|bulkhead_full|invalid_schema|response_too_large): '
          OR "last_error" ~ '^http: BioCore answered HTTP (429|[35][0-9][0-9])$')
  RETURNING "mass_request_id")
UPDATE "mass_request" m
   SET "status" = 'pending', "updated_at" = now()
  FROM requeued r
 WHERE m."id" = r."mass_request_id" AND m."status" = 'failed' AND m."deleted_at" IS NULL;

-- A 2xx answer that is not JSON is an outage like the others (lib/biocore/client/call-error.ts,
-- allowsStale): such a job waits, it does not fail. 20261207013500 requeued the jobs that had failed
-- for good in an outage but missed this kind; those come back to the queue now, and their MASS
-- requests from failed to pending (tests/integration/requeue-migrations.test.ts).
WITH requeued AS (
  UPDATE "recommendation_job"
     SET "status" = 'pending', "run_after" = now(), "locked_at" = NULL, "locked_by" = NULL, "updated_at" = now()
   WHERE "status" = 'failed' AND "last_error" ~ '^invalid_json: '
  RETURNING "mass_request_id")
UPDATE "mass_request" m
   SET "status" = 'pending', "updated_at" = now()
  FROM requeued r
 WHERE m."id" = r."mass_request_id" AND m."status" = 'failed' AND m."deleted_at" IS NULL;

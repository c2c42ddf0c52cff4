-- Hand-written: `observation` becomes a table partitioned by month of interval_start (declarative
-- RANGE partitions, one per UTC calendar month, named observation_yYYYYmMM). Old months can then
-- be dropped whole (retention: drop_observation_months_before) instead of deleted row by row, and
-- a query over a period only visits the months it covers.
--
-- - The primary key becomes (id, interval_start): PostgreSQL requires the partition key in every
--   unique constraint. id keeps its sequence (observation_id_seq), so ids stay unique and keep
--   counting from where they were.
-- - No DEFAULT partition. A row for a month without a partition is refused ("no partition of
--   relation found"), and the writers create the months a load touches first
--   (ensure_observation_months). With a default partition, such rows would land there silently,
--   and creating their month later would have to scan and move them, under locks.
-- - Partitions are created empty and then ATTACHed: ATTACH takes a SHARE UPDATE EXCLUSIVE lock on
--   `observation`, which lets reads and writes carry on (CREATE TABLE … PARTITION OF would take an
--   ACCESS EXCLUSIVE lock and wait for every open transaction that wrote to it, a CSV load say).
-- - Row-level triggers defined on the parent are cloned onto every partition, present and future
--   (observation_dataset_immutable). The statement-level trigger with a transition table
--   (observation_dataset_version_exists_*) stays on the parent: it fires once per INSERT, COPY or
--   UPDATE addressed to the parent, with the rows routed to any partition.
-- - The runtime role may write through the parent only; it creates no table. Both functions are
--   SECURITY DEFINER (they run as the owner of the tables), with a fixed search_path, and only the
--   roles granted EXECUTE may call them (lib/db/roles.ts grants the runtime role).

ALTER TABLE "observation" RENAME TO "observation_unpartitioned";
-- Its indexes and constraints would keep the names the new table's take.
ALTER TABLE "observation_unpartitioned" DROP CONSTRAINT "observation_pkey";
ALTER TABLE "observation_unpartitioned" DROP CONSTRAINT "observation_mass_request_id_fkey";
DROP INDEX "observation_tenant_id_site_id_interval_start_idx";
DROP INDEX "observation_mass_request_id_idx";
DROP INDEX "observation_dataset_version_id_interval_start_idx";
DROP INDEX "observation_live_mass_idx";
DROP TRIGGER "observation_dataset_immutable" ON "observation_unpartitioned";
DROP TRIGGER "observation_dataset_version_exists_insert" ON "observation_unpartitioned";
DROP TRIGGER "observation_dataset_version_exists_update" ON "observation_unpartitioned";

-- The same columns, in the same order, with the same defaults (id: nextval of observation_id_seq).
CREATE TABLE "observation" (LIKE "observation_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("interval_start");
-- The sequence now belongs to the new table's id (it would otherwise go with the old table).
ALTER SEQUENCE "observation_id_seq" OWNED BY "observation"."id";

-- Creates the monthly partitions (UTC months) covering [from, to] that do not exist yet, and
-- answers how many it created. Every partition of the range is then locked (ACCESS SHARE) in the
-- calling transaction, which makes it see partitions another session attached since it started.
-- Call it in a short transaction of its own before writing (cloning the foreign key to
-- mass_request briefly locks that table against writes), then again in the writing transaction
-- when that one was already open.
CREATE FUNCTION ensure_observation_months("from" timestamptz, "to" timestamptz) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET "TimeZone" = 'UTC' SET lock_timeout = '30s' AS $$
DECLARE
  month timestamptz := date_trunc('month', least("from", "to"));
  last timestamptz := date_trunc('month', greatest("from", "to"));
  name text;
  created integer := 0;
  locked boolean := false;
BEGIN
  IF "from" IS NULL OR "to" IS NULL THEN
    RETURN 0;
  END IF;
  IF last > month + interval '1200 months' THEN
    RAISE EXCEPTION 'ensure_observation_months: % to % spans more than 100 years', "from", "to" USING ERRCODE = 'invalid_parameter_value';
  END IF;
  WHILE month <= last LOOP
    name := 'observation_y' || to_char(month, 'YYYY') || 'm' || to_char(month, 'MM');
    IF NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'observation'::regclass AND c.relname = name) THEN
      IF NOT locked THEN
        -- Creators take turns; the loser of a race finds the month made by the winner.
        PERFORM pg_advisory_xact_lock(7400130021);
        locked := true;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                      WHERE i.inhparent = 'observation'::regclass AND c.relname = name) THEN
        EXECUTE format('CREATE TABLE %I (LIKE observation INCLUDING DEFAULTS)', name);
        EXECUTE format('ALTER TABLE observation ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, month, month + interval '1 month');
        created := created + 1;
      END IF;
    END IF;
    EXECUTE format('LOCK TABLE %I IN ACCESS SHARE MODE', name);
    month := month + interval '1 month';
  END LOOP;
  RETURN created;
END;
$$;

-- Retention: detaches and drops every monthly partition that lies entirely before `cutoff`, and
-- answers each month dropped with the rows it held, writing one audit event per month itself (so no
-- caller, the runtime role included, can drop a month unrecorded). A lock timeout keeps it from queueing every reader behind it while a long
-- transaction uses the table: it then fails, and the next pass tries again. Refuses a cutoff
-- within the last month (a slip that would drop the data being collected).
CREATE FUNCTION drop_observation_months_before(cutoff timestamptz, audit jsonb DEFAULT NULL)
RETURNS TABLE (month timestamptz, partition_name text, row_count bigint)
LANGUAGE plpgsql SECURITY DEFINER SET "TimeZone" = 'UTC' SET lock_timeout = '5s' AS $$
DECLARE
  p record;
  m timestamptz;
BEGIN
  IF cutoff IS NULL OR cutoff > now() - interval '1 month' THEN
    RAISE EXCEPTION 'drop_observation_months_before: cutoff % is within the last month', cutoff USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOR p IN SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'observation'::regclass AND c.relname ~ '^observation_y[0-9]{4}m[0-9]{2}$'
            ORDER BY c.relname LOOP
    m := make_timestamptz(substr(p.name, 14, 4)::int, substr(p.name, 19, 2)::int, 1, 0, 0, 0, 'UTC');
    CONTINUE WHEN m + interval '1 month' > cutoff;
    month := m;
    partition_name := p.name;
    EXECUTE format('SELECT count(*) FROM %I', p.name) INTO row_count;
    EXECUTE format('ALTER TABLE observation DETACH PARTITION %I', p.name);
    EXECUTE format('DROP TABLE %I', p.name);
    -- Every drop is audited here, in the same transaction, whoever calls: a caller cannot drop a
    -- month without leaving its event. `audit` carries what the app knows (actor, setting, trace);
    -- called without it (an operator in psql), the event names the database session's user.
    INSERT INTO audit_event (id, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id,
                             inputs, outputs, result, app_version, git_commit, trace_id, span_id)
    VALUES (gen_random_uuid(), now(), coalesce(audit->>'actor_type', 'system'), audit->>'actor_id',
            coalesce(audit->>'actor_label', 'database session ' || session_user), 'observation.retention_drop',
            'observation_month', to_char(m, 'YYYY-MM'),
            coalesce(audit->'inputs', '{}'::jsonb) || jsonb_build_object('cutoff', to_char(cutoff, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
            jsonb_build_object('month', to_char(m, 'YYYY-MM'), 'partition', p.name, 'rows', row_count, 'rollups', 'kept'),
            'ok', coalesce(audit->>'app_version', 'database'), audit->>'git_commit', audit->>'trace_id', audit->>'span_id');
    RETURN NEXT;
  END LOOP;
END;
$$;

-- Functions are executable by everyone by default; these only by the roles granted.
REVOKE EXECUTE ON FUNCTION ensure_observation_months(timestamptz, timestamptz) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION drop_observation_months_before(timestamptz, jsonb) FROM PUBLIC;
-- A fixed search_path: the schema this migration runs in (Prisma's ?schema=), then pg_temp last.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION ensure_observation_months(timestamptz, timestamptz) SET search_path = %I, pg_temp', current_schema());
  EXECUTE format('ALTER FUNCTION drop_observation_months_before(timestamptz, jsonb) SET search_path = %I, pg_temp', current_schema());
END;
$$;

-- The months of the rows stored so far, then the rows, with their ids.
SELECT ensure_observation_months(min("interval_start"), max("interval_start")) FROM "observation_unpartitioned";
INSERT INTO "observation" SELECT * FROM "observation_unpartitioned";
DROP TABLE "observation_unpartitioned";

-- Indexes on the parent are created on every partition, present and future.
ALTER TABLE "observation" ADD CONSTRAINT "observation_pkey" PRIMARY KEY ("id", "interval_start");
CREATE INDEX "observation_tenant_id_site_id_interval_start_idx" ON "observation"("tenant_id", "site_id", "interval_start");
CREATE INDEX "observation_mass_request_id_idx" ON "observation"("mass_request_id") WHERE (mass_request_id IS NOT NULL);
CREATE INDEX "observation_dataset_version_id_interval_start_idx" ON "observation"("dataset_version_id", "interval_start");
CREATE INDEX "observation_live_mass_idx" ON "observation"("tenant_id", "site_id", "interval_start") WHERE (dataset_version_id IS NULL AND mass_request_id IS NOT NULL AND deleted_at IS NULL AND superseded_at IS NULL);
ALTER TABLE "observation" ADD CONSTRAINT "observation_mass_request_id_fkey" FOREIGN KEY ("mass_request_id") REFERENCES "mass_request"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TRIGGER observation_dataset_immutable
  BEFORE UPDATE OR DELETE ON "observation"
  FOR EACH ROW EXECUTE FUNCTION observation_dataset_immutable();

CREATE TRIGGER observation_dataset_version_exists_insert
  AFTER INSERT ON "observation" REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION observation_dataset_version_exists();

CREATE TRIGGER observation_dataset_version_exists_update
  AFTER UPDATE ON "observation" REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION observation_dataset_version_exists();

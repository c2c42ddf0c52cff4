-- AlterTable
ALTER TABLE "audit_event" ADD COLUMN     "chain_pos" BIGINT,
ALTER COLUMN "prev_hash" DROP NOT NULL,
ALTER COLUMN "hash" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "audit_event_chain_pos_key" ON "audit_event"("chain_pos");

-- Hand-written (see prisma/sql/audit-append-only.sql for the rule it enforces).
-- Events written before this migration were chained at insert time, in seq order.
ALTER TABLE "audit_event" DISABLE TRIGGER audit_event_no_update_delete;
UPDATE "audit_event" SET "chain_pos" = "seq" WHERE "hash" IS NOT NULL;
ALTER TABLE "audit_event" ENABLE TRIGGER audit_event_no_update_delete;

-- Still append-only, with one exception: the sealer may set chain_pos, prev_hash and hash, once,
-- on a row that has none of them, changing nothing else.
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.hash IS NULL AND OLD.prev_hash IS NULL AND OLD.chain_pos IS NULL
     AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.chain_pos IS NOT NULL
     AND (to_jsonb(OLD) - 'hash' - 'prev_hash' - 'chain_pos') = (to_jsonb(NEW) - 'hash' - 'prev_hash' - 'chain_pos')
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

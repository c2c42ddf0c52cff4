-- audit_event is append-only: no DELETE or TRUNCATE, whoever asks, and no UPDATE except the
-- sealer's one-time setting of chain_pos, prev_hash and hash on a row that has none of them.
-- Hand-written (Prisma's schema language cannot express triggers): the triggers were created by
-- the init migration, the function's current body by the audit_chain_sealer migration.
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

CREATE TRIGGER audit_event_no_update_delete
  BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();

CREATE TRIGGER audit_event_no_truncate
  BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();

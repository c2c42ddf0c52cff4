// A user's row as stored, read straight from the database (tests compare it with what the API or a
// page was asked to change).
import type pg from "pg";

export type StoredUser = { role: string; tenant_ids: string[]; disabled: boolean; password_hash: string };

export async function storedUser(db: pg.Client, id: string): Promise<StoredUser> {
  const { rows } = await db.query<StoredUser>(
    "SELECT role::text AS role, tenant_ids, disabled_at IS NOT NULL AS disabled, password_hash FROM app_user WHERE id = $1",
    [id],
  );
  return rows[0]!;
}

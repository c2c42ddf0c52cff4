// The BioCore domain's transactions: its files open one here and hand the handle on (to the
// functions of this folder, and to recordAudit for the audit event inside it), never reaching the
// client themselves. One transaction per operation, as before: this is db().$transaction.
import "server-only";
import { db, type Tx } from "@/lib/db";

export type { Tx };

export function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(work);
}

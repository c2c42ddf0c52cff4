// Saved views' storage: every function takes the owning user's id first and reads or writes that
// user's rows only.
import "server-only";
import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";

export type ViewTx = Tx;

export type StoredView = { id: string; name: string; path: string; params: Record<string, string>; createdAt: Date };

const select = { id: true, name: true, path: true, params: true, createdAt: true } as const;

const stored = (row: { id: string; name: string; path: string; params: unknown; createdAt: Date }): StoredView => ({
  ...row,
  params: row.params as Record<string, string>,
});

/** One transaction per change, its audit event inside it. */
export function inViewTransaction<T>(work: (tx: ViewTx) => Promise<T>): Promise<T> {
  return db().$transaction(work);
}

export async function listViews(userId: string): Promise<StoredView[]> {
  const rows = await db().savedView.findMany({ where: { userId }, select, orderBy: { name: "asc" } });
  return rows.map(stored);
}

/**
 * Locks the user's row for the rest of the transaction, so concurrent saves by one user count
 * their views one after the other (the per-user limit holds), then counts them.
 */
export async function lockAndCountViews(tx: ViewTx, userId: string): Promise<number> {
  await tx.$queryRaw`SELECT 1 FROM app_user WHERE id = ${userId}::uuid FOR UPDATE`;
  return tx.savedView.count({ where: { userId } });
}

export async function viewNamed(tx: ViewTx, userId: string, name: string): Promise<{ id: string } | null> {
  return tx.savedView.findUnique({ where: { userId_name: { userId, name } }, select: { id: true } });
}

export async function insertView(
  tx: ViewTx,
  userId: string,
  data: { name: string; path: string; params: Record<string, string> },
): Promise<StoredView> {
  return stored(await tx.savedView.create({ data: { userId, ...data }, select }));
}

/** Deletes the user's view with this id; null when the user has none with it. */
export async function deleteView(tx: ViewTx, userId: string, id: string): Promise<StoredView | null> {
  const row = await tx.savedView.findFirst({ where: { id, userId }, select });
  if (!row) return null;
  const { count } = await tx.savedView.deleteMany({ where: { id: row.id, userId } });
  return count === 1 ? stored(row) : null;
}

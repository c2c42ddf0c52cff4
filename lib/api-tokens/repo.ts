import "server-only";
import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";

/**
 * The transaction a token change runs in: handed to `inTransaction`'s work, passed on to the
 * functions here and to recordAudit.
 */
export type TokenTx = Tx;

/** One transaction per change, its audit event inside it. */
export function inTransaction<T>(work: (tx: TokenTx) => Promise<T>): Promise<T> {
  return db().$transaction(work);
}

export const publicTokenSelect = {
  id: true,
  name: true,
  prefix: true,
  role: true,
  tenantIds: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
  createdBy: { select: { id: true, email: true } },
} as const;

export function listApiTokens() {
  return db().apiToken.findMany({ select: publicTokenSelect, orderBy: { createdAt: "desc" } });
}

export type PublicApiToken = Awaited<ReturnType<typeof listApiTokens>>[number];

export function getApiTokenByHash(tokenHash: string) {
  return db().apiToken.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      name: true,
      prefix: true,
      role: true,
      tenantIds: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
    },
  });
}

export function insertApiToken(
  tx: Tx,
  data: {
    name: string;
    tokenHash: string;
    prefix: string;
    role: Role;
    tenantIds: string[];
    expiresAt: Date;
    createdById: string;
  },
): Promise<PublicApiToken> {
  return tx.apiToken.create({ data, select: publicTokenSelect });
}

export function markRevoked(tx: Tx, id: string, at: Date): Promise<PublicApiToken> {
  return tx.apiToken.update({ where: { id }, data: { revokedAt: at }, select: publicTokenSelect });
}

export function getApiToken(id: string) {
  return db().apiToken.findUnique({ where: { id }, select: publicTokenSelect });
}

/** Last-used is written at most once a minute per token, not on every request. */
export function touchLastUsed(id: string, at: Date): Promise<unknown> {
  return db().apiToken.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(at.getTime() - 60_000) } }] },
    data: { lastUsedAt: at },
  });
}

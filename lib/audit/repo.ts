import "server-only";
import { db, type Tx } from "@/lib/db";
import type { AuditEvent, Prisma } from "@/lib/generated/prisma/client";
import type { Principal } from "@/lib/access/principal";
import { tenantWhere } from "@/lib/access/tenant-scope";
import type { AuditFilter } from "./audit-filter";
import type { HashedFields } from "./event-hash";

/**
 * The transaction an audited change runs in, whichever domain opened it: the event is written
 * inside it, so it exists if and only if the change was committed.
 */
export type AuditTx = Pick<Tx, "auditEvent">;

/** A plain `pg` client inside its transaction (bulk loads that COPY). */
export type AuditSqlClient = { query: (sql: string, values: unknown[]) => Promise<unknown> };

/**
 * An event as written: unsealed (no chain position, no hash yet); see auditRow in record-audit.ts.
 * Exactly the fields its hash covers, so a column cannot be stored without being sealed.
 */
export type AuditEventRow = HashedFields;

export function insertAuditEvent(tx: AuditTx, row: AuditEventRow): Promise<{ id: string }> {
  return tx.auditEvent.create({
    data: {
      ...row,
      inputs: (row.inputs ?? undefined) as Prisma.InputJsonValue | undefined,
      outputs: (row.outputs ?? undefined) as Prisma.InputJsonValue | undefined,
    },
    select: { id: true },
  });
}

/** The same, outside any transaction (an event that records no state change of its own). */
export function insertAuditEventAlone(row: AuditEventRow): Promise<{ id: string }> {
  return insertAuditEvent(db(), row);
}

/** The same, on a plain `pg` client inside its transaction. */
export async function insertAuditEventSql(client: AuditSqlClient, r: AuditEventRow): Promise<void> {
  await client.query(
    `insert into audit_event (id, occurred_at, actor_type, actor_id, actor_label, tenant_id, action, target_type, target_id, inputs, outputs,
       result, dataset_version, biocore_version, app_version, git_commit, trace_id, span_id, request_id, ip, user_agent)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)`,
    [
      r.id,
      r.occurredAt,
      r.actorType,
      r.actorId,
      r.actorLabel,
      r.tenantId,
      r.action,
      r.targetType,
      r.targetId,
      r.inputs === null ? null : JSON.stringify(r.inputs),
      r.outputs === null ? null : JSON.stringify(r.outputs),
      r.result,
      r.datasetVersion,
      r.biocoreVersion,
      r.appVersion,
      r.gitCommit,
      r.traceId,
      r.spanId,
      r.requestId,
      r.ip,
      r.userAgent,
    ],
  );
}

/** How many events the hash chain links (its top position). */
export async function chainLength(): Promise<number> {
  const [row] = await db().$queryRaw<{ n: number | null }[]>`select max(chain_pos)::float8 as n from audit_event`;
  return row?.n ?? 0;
}

function where(principal: Principal, f: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [tenantWhere(principal)];
  if (f.from || f.to) and.push({ occurredAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } });
  if (f.action) and.push({ action: { startsWith: f.action } });
  if (f.actor) {
    and.push({
      OR: [{ actorId: f.actor }, { actorLabel: { contains: f.actor, mode: "insensitive" } }],
    });
  }
  if (f.result) and.push({ result: f.result });
  if (f.target_type) and.push({ targetType: f.target_type });
  if (f.target_id) and.push({ targetId: f.target_id });
  if (f.tenant_id) and.push({ tenantId: f.tenant_id });
  return { AND: and };
}

export type AuditRow = Awaited<ReturnType<typeof listAuditEvents>>["items"][number];

/** Newest first; `cursor` is the last seq of the previous page. */
export async function listAuditEvents(
  principal: Principal,
  filter: AuditFilter,
  page: { cursor?: string; limit: number },
) {
  const rows = await db().auditEvent.findMany({
    where: { AND: [where(principal, filter), page.cursor ? { seq: { lt: BigInt(page.cursor) } } : {}] },
    orderBy: { seq: "desc" },
    take: page.limit + 1,
  });
  const items = rows.slice(0, page.limit);
  const nextCursor = rows.length > page.limit ? items[items.length - 1]!.seq.toString() : null;
  return { items, nextCursor };
}

export function countAuditEvents(principal: Principal, filter: AuditFilter): Promise<number> {
  return db().auditEvent.count({ where: where(principal, filter) });
}

/** Every matching event, oldest first, in batches: for exports of any size. */
export async function* iterateAuditEvents(principal: Principal, filter: AuditFilter, batch = 1_000) {
  let after: bigint | null = null;
  for (;;) {
    const rows: AuditEvent[] = await db().auditEvent.findMany({
      where: { AND: [where(principal, filter), after === null ? {} : { seq: { gt: after } }] },
      orderBy: { seq: "asc" },
      take: batch,
    });
    yield* rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.seq;
  }
}

/** The next sealed events after chain position `afterPos`, in chain order (for verification). */
export function readChainBatch(afterPos: bigint | null, take: number): Promise<AuditEvent[]> {
  return db().auditEvent.findMany({
    where: { chainPos: afterPos === null ? { not: null } : { gt: afterPos } },
    orderBy: { chainPos: "asc" },
    take,
  });
}

/** What the chain looks like at its top and at given positions: read by anchors and the sealer's guard. */
export type ChainReader = {
  head(): Promise<{ chainPos: bigint; hash: string } | null>;
  hashAt(chainPos: bigint): Promise<string | null>;
};

function chainReader(client: Pick<Tx, "auditEvent">): ChainReader {
  return {
    async head() {
      const row = await client.auditEvent.findFirst({
        where: { chainPos: { not: null } },
        orderBy: { chainPos: "desc" },
        select: { chainPos: true, hash: true },
      });
      return row?.chainPos && row.hash ? { chainPos: row.chainPos, hash: row.hash } : null;
    },
    async hashAt(chainPos) {
      const row = await client.auditEvent.findUnique({ where: { chainPos }, select: { hash: true } });
      return row?.hash ?? null;
    },
  };
}

export function readChain(): ChainReader {
  return chainReader(db());
}

/** The stored hash at each of these chain positions (absent: no event there). */
export async function hashesAt(positions: bigint[]): Promise<Map<bigint, string | null>> {
  const rows = await db().auditEvent.findMany({
    where: { chainPos: { in: positions } },
    select: { chainPos: true, hash: true },
  });
  return new Map(rows.map((r) => [r.chainPos!, r.hash]));
}

export function countSealed(): Promise<number> {
  return db().auditEvent.count({ where: { chainPos: { not: null } } });
}

export function countUnsealed(): Promise<number> {
  return db().auditEvent.count({ where: { hash: null } });
}

// Sealing is serialized across every process by this transaction-scoped advisory lock.
const SEAL_LOCK_KEY = 7_400_130_001;

// A sealer waits its turn behind another (the background sealer, a verification, an export, another
// replica's) inside its transaction, so Prisma's default interactive-transaction limits (2 s to start,
// 5 s in all) are too short under load: they answered 503 while the chain was merely busy. Each
// statement stays bounded by the pool's statement_timeout; these bound the whole batch.
const SEAL_TX_LIMITS = { maxWait: 15_000, timeout: 60_000 } as const;

/**
 * In one transaction: lock, read the chain head and up to `take` unsealed events (in insert
 * order), let `link` compute their chain positions and hashes, write them. Returns how many.
 */
export function sealBatch(
  take: number,
  link: (
    head: { chainPos: bigint; hash: string } | null,
    rows: AuditEvent[],
  ) => { seq: bigint; chainPos: bigint; prevHash: string; hash: string }[],
  /** Runs under the lock before anything is written; throws to refuse sealing onto this head. */
  guard?: (chain: ChainReader) => Promise<void>,
): Promise<number> {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(${SEAL_LOCK_KEY}::bigint)`;
    const rows = await tx.auditEvent.findMany({ where: { hash: null }, orderBy: { seq: "asc" }, take });
    if (rows.length === 0) return 0;
    const chain = chainReader(tx);
    if (guard) await guard(chain);
    const head = await chain.head();
    const links = link(head, rows);
    await tx.$executeRaw`
      update audit_event as a
         set chain_pos = v.chain_pos, prev_hash = v.prev_hash, hash = v.hash
        from (select unnest(${links.map((l) => l.seq)}::bigint[]) as seq,
                     unnest(${links.map((l) => l.chainPos)}::bigint[]) as chain_pos,
                     unnest(${links.map((l) => l.prevHash)}::text[]) as prev_hash,
                     unnest(${links.map((l) => l.hash)}::text[]) as hash) as v
       where a.seq = v.seq and a.hash is null`;
    return links.length;
  }, SEAL_TX_LIMITS);
}

/** Every event about one target, oldest first (a resource's timeline). */
export function listEventsForTarget(targetType: string, targetId: string) {
  return db().auditEvent.findMany({
    where: { targetType, targetId },
    orderBy: { seq: "asc" },
    select: {
      occurredAt: true,
      action: true,
      actorLabel: true,
      actorType: true,
      result: true,
      inputs: true,
      outputs: true,
      traceId: true,
    },
  });
}

// What the demo's first start reads and writes directly: whether there is anything yet (any dataset,
// the tenant's implementations), its MASS request's row, and the recommendation it implements. The
// rest goes through the ordinary paths of the domains it feeds (loader, storeCall, recordImplementation).
import "server-only";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { insertMassRequest } from "@/lib/mass/repo";

export type { Tx };

/** One transaction of the demo's: its files open it here and hand the handle on (to recordAudit and the inserts). */
export function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(work);
}

/** Datasets of every tenant: the demo year loads only into an empty pilot. */
export function countDatasets(): Promise<number> {
  return db().dataset.count();
}

export function countImplementations(tenantId: string): Promise<number> {
  return db().recommendationImplementation.count({ where: { tenantId } });
}

type JsonColumns = "raw" | "normalized" | "warnings" | "responseBody";

/** The demo's MASS request row, through lib/mass's insert; its JSON columns as prepareMass built them. */
export function insertDemoMassRequest(
  tx: Tx,
  data: Omit<Prisma.MassRequestUncheckedCreateInput, JsonColumns> & Record<JsonColumns, unknown>,
) {
  return insertMassRequest(tx, {
    ...data,
    raw: data.raw as Prisma.InputJsonValue,
    normalized: data.normalized as Prisma.InputJsonValue,
    warnings: data.warnings as Prisma.InputJsonValue,
    responseBody: data.responseBody as Prisma.InputJsonValue,
  });
}

/** The first (by priority) recommendation of a category answering the MASS request, or null. */
export function findFirstRecommendation(massRequestId: string, category: string) {
  return db().recommendation.findFirst({
    where: { massRequestId, category },
    orderBy: { priority: "asc" },
  });
}

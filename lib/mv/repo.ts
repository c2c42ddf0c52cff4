// Studies, their revisions and reports: with queries/intervals.ts (the rows a study's intervals are
// computed from), the only M&V code that talks to Prisma.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { tenantWhere } from "@/lib/access/tenant-scope";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { StudySpec } from "./spec";

/**
 * The transaction a study or report is written in: handed to `inTransaction`'s work (or a caller's
 * own, e.g. the verification pass creating a study), passed on to the functions here and to
 * recordAudit.
 */
export type MvTx = Tx;

/** One transaction per write, its audit event inside it. */
export function inTransaction<T>(work: (tx: MvTx) => Promise<T>): Promise<T> {
  return db().$transaction(work);
}

const REPORT_SUMMARY = {
  id: true,
  studyId: true,
  revisionId: true,
  tenantId: true,
  methodVersion: true,
  appVersion: true,
  gitCommit: true,
  datasetVersions: true,
  inputsHash: true,
  resultsHash: true,
  avoidedKwh: true,
  uncertainty90Kwh: true,
  calibrated90Kwh: true,
  pass: true,
  traceId: true,
  createdByType: true,
  createdById: true,
  createdAt: true,
  revision: { select: { revision: true } },
} as const;

export function listStudies(principal: Principal) {
  return db().mvStudy.findMany({
    where: tenantWhere(principal),
    orderBy: { createdAt: "desc" },
    take: 500,
    include: { reports: { orderBy: { createdAt: "desc" }, take: 1, select: REPORT_SUMMARY } },
  });
}

export function findStudy(principal: Principal, id: string) {
  return db().mvStudy.findFirst({
    where: { id, ...tenantWhere(principal) },
    include: {
      revisions: { orderBy: { revision: "desc" } },
      reports: { orderBy: { createdAt: "desc" }, take: 200, select: REPORT_SUMMARY },
    },
  });
}

export function findReport(principal: Principal, id: string) {
  return db().mvReport.findFirst({
    where: { id, ...tenantWhere(principal) },
    include: { revision: true, study: { select: { id: true, name: true, tenantId: true } } },
  });
}

/** Whether the principal may see the report: one indexed lookup, without its stored results. */
export async function reportExists(principal: Principal, id: string): Promise<boolean> {
  return (await db().mvReport.findFirst({ where: { id, ...tenantWhere(principal) }, select: { id: true } })) !== null;
}

export function insertStudy(
  tx: Tx,
  data: { tenantId: string; name: string; createdByType: string; createdById: string },
) {
  return tx.mvStudy.create({ data });
}

export function insertRevision(
  tx: Tx,
  data: {
    studyId: string;
    revision: number;
    name: string;
    spec: StudySpec;
    note: string | null;
    createdByType: string;
    createdById: string;
  },
) {
  return tx.mvStudyRevision.create({ data: { ...data, spec: data.spec as Prisma.InputJsonValue } });
}

/** Compare-and-set of the current revision: a concurrent edit makes this one a conflict. */
export async function advanceRevision(tx: Tx, studyId: string, from: number, name: string): Promise<boolean> {
  const { count } = await tx.mvStudy.updateMany({
    where: { id: studyId, currentRevision: from },
    data: { currentRevision: from + 1, name },
  });
  return count === 1;
}

export function insertReport(tx: Tx, data: Prisma.MvReportUncheckedCreateInput) {
  return tx.mvReport.create({ data, select: { id: true } });
}

/** The pinned dataset versions that exist, are ready and belong to the tenant. */
export function findVersions(tenantId: string, ids: string[]) {
  return db().datasetVersion.findMany({
    where: { id: { in: ids }, state: "ready", dataset: { tenantId } },
    select: { id: true, sha256: true, version: true, dataset: { select: { name: true } } },
    orderBy: { id: "asc" },
  });
}

export type StudyDetail = NonNullable<Awaited<ReturnType<typeof findStudy>>>;
export type StudyListItem = Awaited<ReturnType<typeof listStudies>>[number];
export type ReportDetail = NonNullable<Awaited<ReturnType<typeof findReport>>>;
export type ReportSummary = StudyDetail["reports"][number];

// Studies, their revisions and reports: the only M&V file that talks to Prisma.
import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { tenantWhere } from "@/lib/auth/tenant-scope";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

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
    spec: Prisma.InputJsonValue;
    note: string | null;
    createdByType: string;
    createdById: string;
  },
) {
  return tx.mvStudyRevision.create({ data });
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

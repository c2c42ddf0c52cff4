// What the BioCore domain reads of a stored MASS request: the request a job asks about, with its
// observation (MASS Simple), and whether it carries any signals at all.
import "server-only";
import { db } from "@/lib/db";

/** The MASS request behind a job, and for MASS Simple its first observation (the signals asked about). */
export async function loadMassForJob(id: string) {
  const m = await db().massRequest.findUnique({
    where: { id },
    select: {
      id: true,
      kind: true,
      normalized: true,
      tenantId: true,
      siteId: true,
      clusterId: true,
      zoneId: true,
      correlationId: true,
      requestId: true,
      idempotencyKey: true,
      traceparent: true,
      deletedAt: true,
    },
  });
  if (!m) return null;
  const observation =
    m.kind === "simple"
      ? await db().observation.findFirst({ where: { massRequestId: id }, orderBy: { id: "asc" } })
      : null;
  return { m, observation };
}

export type MassForJob = NonNullable<Awaited<ReturnType<typeof loadMassForJob>>>["m"];

/** The observations stored with a MASS request (none: a MASS Simple request without signals). */
export function countObservations(massRequestId: string): Promise<number> {
  return db().observation.count({ where: { massRequestId } });
}

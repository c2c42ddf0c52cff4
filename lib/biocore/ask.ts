// "Ask BioCore" on any stored data: for a site (and optional cluster) of the caller's tenants and a
// window, the MASS v1.1 snapshot of its stored observations (lib/biocore/snapshot.ts says which
// aggregate each field uses), stored as the request a job refers to and queued like any MASS
// request: the same worker, client (timeouts, retries, breaker), guardrails, recommendation storage
// and audit events. Advice only: nothing is sent to a plant.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import type { Principal } from "@/lib/access/principal";
import { actorOf, type AuditActor, type RequestContext } from "@/lib/audit/types";
import { wakeRecommendationWorker } from "@/lib/background/worker-signal";
import { AppError, type FieldProblem } from "@/lib/http/app-error";
import { isoInstant } from "@/lib/http/iso-instant";
import { payloadHash } from "@/lib/mass/payload-hash";
import { currentTraceIds } from "@/lib/observability/trace-context";
import { askProgress, storeAsk } from "./repo/ask";
import { askScopes, dataEndOf, latestPerSeries, tenantsWithSite } from "./repo/snapshot";
import { biocoreRequestOf } from "./request-of";
import { snapshotOf } from "./snapshot";

/** The longest window an ask may cover. */
export const ASK_MAX_WINDOW_DAYS = 31;
/** Asking again about the same scope and window within this many seconds answers the first ask. */
export const ASK_REPLAY_SECONDS = 60;

const id = z.string().trim().min(1).max(64);
export const AskInputSchema = z
  .strictObject({
    site_id: id.meta({ description: "The site to ask about (of the caller's tenants)" }),
    cluster_id: id.optional().meta({ description: "Narrows the snapshot to one cluster of the site" }),
    tenant_id: id
      .optional()
      .meta({ description: "Needed only when the site id exists in more than one of the caller's tenants" }),
    from: isoInstant().meta({ description: "Window start (inclusive), an ISO 8601 instant" }),
    to: isoInstant().meta({
      description: `Window end (exclusive); at most ${ASK_MAX_WINDOW_DAYS} days after from`,
    }),
  })
  .superRefine((v, ctx) => {
    const from = Date.parse(v.from);
    const to = Date.parse(v.to);
    if (Number.isNaN(from) || Number.isNaN(to)) return; // named by the fields' own checks
    if (!(to > from)) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    else if (to - from > ASK_MAX_WINDOW_DAYS * 86_400_000)
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: `the window is too long: at most ${ASK_MAX_WINDOW_DAYS} days`,
      });
  })
  .meta({ id: "AskBioCoreRequest" });
export type AskInput = z.infer<typeof AskInputSchema>;

export const AskResultSchema = z
  .object({
    job_id: z.uuid(),
    mass_request_id: z.uuid().meta({ description: "The request the pilot built and stored (GET /api/v1/mass/{id})" }),
    status: z.literal("pending"),
    replayed: z.boolean().meta({ description: `The same ask within ${ASK_REPLAY_SECONDS} s: the first one's job` }),
    tenant_id: z.string(),
    site_id: z.string(),
    cluster_id: z.string().nullable(),
    window: z.object({ from: z.string(), to: z.string() }),
    snapshot: z.object({
      series: z.number().int().meta({ description: "Series (facility, cluster, zone) the snapshot combines" }),
      rows: z.number().int().meta({ description: "Observations of the window kept (one source per asset-hour)" }),
      first_start: z.string(),
      last_end: z.string(),
    }),
  })
  .meta({ id: "AskBioCoreResult" });
export type AskResult = z.infer<typeof AskResultSchema>;

const iso = (d: Date) => d.toISOString();

/** Asks BioCore about the scope and window; queues one job (or answers the same ask's of a moment ago). */
export async function askBioCore(
  principal: Principal,
  input: AskInput,
  context: RequestContext | null,
  actor: AuditActor = actorOf(principal),
): Promise<AskResult> {
  const siteId = input.site_id;
  const clusterId = input.cluster_id ?? null;
  const from = new Date(input.from);
  const to = new Date(input.to);
  const holding = await tenantsWithSite(principal, siteId, clusterId);
  const tenants = input.tenant_id ? holding.filter((t) => t === input.tenant_id) : holding;
  const where = clusterId
    ? `site ${JSON.stringify(siteId)}, cluster ${JSON.stringify(clusterId)}`
    : `site ${JSON.stringify(siteId)}`;
  if (tenants.length === 0)
    throw new AppError("not_found", `No stored observations of ${where} in your tenants`, {
      errors: [
        { pointer: "/site_id", detail: `unknown site ${JSON.stringify(siteId)}` },
        ...(clusterId ? [{ pointer: "/cluster_id", detail: `or unknown cluster ${JSON.stringify(clusterId)}` }] : []),
      ],
    });
  if (tenants.length > 1)
    throw new AppError("validation_failed", `${where} exists in more than one of your tenants: name one`, {
      errors: [{ pointer: "/tenant_id", detail: `one of ${tenants.join(", ")}` }],
    });
  const tenantId = tenants[0]!;
  const series = await latestPerSeries(tenantId, siteId, clusterId, from, to);
  if (series.length === 0) {
    const problems: FieldProblem[] = [
      { pointer: "/from", detail: `no observations of ${where} from ${iso(from)}`, code: "empty_window" },
      { pointer: "/to", detail: `to ${iso(to)}`, code: "empty_window" },
    ];
    throw new AppError("validation_failed", `The window holds no observations of ${where}: nothing to ask`, {
      errors: problems,
    });
  }
  const snapshot = snapshotOf(siteId, clusterId, series);
  const principalKey = `${principal.kind}:${principal.id}`;
  const scopeHash = createHash("sha256")
    .update(JSON.stringify([tenantId, siteId, clusterId, iso(from), iso(to)]))
    .digest("hex")
    .slice(0, 32);
  const idempotencyKey = `ask-${scopeHash}-${Math.floor(Date.now() / (ASK_REPLAY_SECONDS * 1000))}`;
  const correlationId = randomUUID();
  const requestId = `ask-${randomUUID()}`;
  const built = biocoreRequestOf(
    { kind: "simple", normalized: null, tenantId, correlationId, requestId, idempotencyKey, traceparent: null },
    snapshot,
  )!;
  const request = built.request as Record<string, unknown>;
  const document = {
    ...built,
    request: {
      ...request,
      data_contract: { ...(request.data_contract as Record<string, unknown>), source: "pilot-ask" },
    },
  };
  const rows = series.reduce((n, s) => n + s.rows, 0);
  const { traceId, spanId } = currentTraceIds();
  const stored = await storeAsk(
    {
      tenantId,
      siteId,
      facilityId: snapshot.facilityId,
      clusterId: snapshot.clusterId,
      zoneId: snapshot.zoneId,
      correlationId,
      requestId,
      idempotencyKey,
      principalKey,
      payloadHash: payloadHash(document),
      document,
      traceparent: null,
      traceId,
      spanId,
      createdByType: principal.kind,
      createdById: principal.id,
      at: new Date(),
    },
    ({ massRequestId, jobId }) => ({
      actor,
      action: "recommendation.ask",
      targetType: "mass_request",
      targetId: massRequestId,
      tenantId,
      inputs: { site_id: siteId, cluster_id: clusterId, from: iso(from), to: iso(to) },
      outputs: { job_id: jobId, series: series.length, rows },
      context,
    }),
  );
  if (!stored.replayed) wakeRecommendationWorker();
  return {
    job_id: stored.jobId,
    mass_request_id: stored.massRequestId,
    status: "pending",
    replayed: stored.replayed,
    tenant_id: tenantId,
    site_id: siteId,
    cluster_id: clusterId,
    window: { from: iso(from), to: iso(to) },
    snapshot: {
      series: series.length,
      rows,
      first_start: iso(snapshot.intervalStart),
      last_end: iso(snapshot.intervalEnd),
    },
  };
}

/** Where an ask stands: its request's status, its job, and the recommendations it got. */
export async function askStatus(principal: Principal, massRequestId: string) {
  const found = await askProgress(principal.tenantIds.length ? principal.tenantIds : null, massRequestId);
  if (!found) throw new AppError("not_found", "No such ask");
  return found;
}

export type AskScope = { tenantId: string; siteId: string; clusterIds: string[] };

/** The sites (with their clusters) the caller may ask about. */
export async function listAskScopes(principal: Principal): Promise<AskScope[]> {
  const out: AskScope[] = [];
  for (const r of await askScopes(principal)) {
    let s = out.find((x) => x.tenantId === r.tenant_id && x.siteId === r.site_id);
    if (!s) out.push((s = { tenantId: r.tenant_id, siteId: r.site_id, clusterIds: [] }));
    if (r.cluster_id !== null && !s.clusterIds.includes(r.cluster_id)) s.clusterIds.push(r.cluster_id);
  }
  return out;
}

/**
 * The last `days` of a site's (or cluster's) data: the window ending at the end of its latest
 * interval; null when it has none.
 */
export async function lastDaysWindow(
  tenantId: string,
  siteId: string,
  clusterId: string | null,
  days: number,
): Promise<{ from: string; to: string } | null> {
  const end = await dataEndOf(tenantId, siteId, clusterId);
  return end ? { from: iso(new Date(end.getTime() - days * 86_400_000)), to: iso(end) } : null;
}

/** Asks queued after one dataset load at most (one per site and cluster of the new version). */
export const ASK_AFTER_LOAD_MAX = 20;

export type AskAfterLoad = { site_id: string; cluster_id: string | null; job_id: string; mass_request_id: string };

/**
 * `POST /api/v1/datasets?ask_biocore=true`: after a new version is stored, one ask per site (and
 * cluster) of its series over the last day of that site's (cluster's) data. A failing ask is
 * reported in its place, never undoing the load.
 */
export async function askAfterLoad(
  principal: Principal,
  tenantId: string,
  series: { site_id: string; cluster_id: string | null }[],
  context: RequestContext,
): Promise<(AskAfterLoad | { site_id: string; cluster_id: string | null; error: string })[]> {
  const scopes: { site_id: string; cluster_id: string | null }[] = [];
  for (const s of series)
    if (!scopes.some((x) => x.site_id === s.site_id && x.cluster_id === s.cluster_id))
      scopes.push({ site_id: s.site_id, cluster_id: s.cluster_id });
  const out: (AskAfterLoad | { site_id: string; cluster_id: string | null; error: string })[] = [];
  for (const s of scopes.slice(0, ASK_AFTER_LOAD_MAX)) {
    try {
      const window = await lastDaysWindow(tenantId, s.site_id, s.cluster_id, 1);
      if (!window) throw new AppError("validation_failed", "no observations");
      const r = await askBioCore(
        principal,
        AskInputSchema.parse({
          tenant_id: tenantId,
          site_id: s.site_id,
          ...(s.cluster_id ? { cluster_id: s.cluster_id } : {}),
          ...window,
        }),
        context,
      );
      out.push({ ...s, job_id: r.job_id, mass_request_id: r.mass_request_id });
    } catch (error) {
      out.push({ ...s, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}

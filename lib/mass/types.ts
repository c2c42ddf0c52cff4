// What validation reports: every problem at once, each with where (JSON Pointer), which layer of
// the contract it breaks, and why. Warnings never reject.
export type MassLayer = "structural" | "semantic" | "contract" | "business";

export type MassIssue = { pointer: string; layer: MassLayer; code: string; message: string };
export type MassWarning = { pointer: string; code: string; message: string };

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One observation row from a normalized request: the time-series view of its signals. */
export type ObservationFields = {
  tenantId: string;
  siteId: string;
  facilityId: string | null;
  clusterId: string | null;
  zoneId: string | null;
  intervalStart: Date;
  intervalEnd: Date;
  itLoadKw?: number;
  facilityPowerKw?: number;
  upsEfficiencyPct?: number;
  pueReported?: number;
  carbonIntensityGco2PerKwh?: number;
  energyPricePerKwh?: number;
  currency?: string;
  avgRackInletC?: number;
  p95RackInletC?: number;
  hotspotRackCount?: number;
  supplyTempC?: number;
  returnTempC?: number;
  coolingSetpointC?: number;
  chillerKw?: number;
  fanPowerKw?: number;
  coolingValvePositionPct?: number;
  cpuUtilPct?: number;
  gpuUtilPct?: number;
  queueDepth?: number;
  batchPct?: number;
  latencySensitivePct?: number;
  tokensPerWattEst?: number;
};

/** What a request would become, without storing anything (the first half of ingesting: ingest.ts, batch.ts). */
export type Prepared = {
  kind: "enterprise" | "simple";
  normalized: JsonObject;
  payloadHash: string;
  warnings: MassWarning[];
  tenantId: string;
  assets: { siteId: string | null; facilityId: string | null; clusterId: string | null; zoneId: string | null };
  schemaVersion: string;
  correlationId: string;
  requestId: string;
  idempotencyKey: string;
  traceparent: string | null;
  observation: ObservationFields | null;
};

/** A valid document about to be stored: its id and answer are decided before the insert. */
export type StoreCandidate = {
  index: number;
  raw: unknown;
  prepared: Prepared;
  id: string;
  response: Record<string, unknown>;
};
/** What is stored under a key: the request's id, its payload hash and the answer given. */
export type StoredAnswer = { id: string; payloadHash: string; responseBody: Record<string, unknown> };

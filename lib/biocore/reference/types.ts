// The engine's own view of a request (camelCase, units in the names) and of a candidate action.
export type Category = "cooling_setpoint" | "fan_speed" | "hotspot_mitigation" | "workload_shift";

export type Weights = { energy: number; thermalRisk: number; workloadEfficiency: number };

/** What is echoed back, whatever the outcome. */
export type Echo = {
  schemaVersion: string;
  correlationId: string;
  traceparent: string | null;
  requestId: string;
  idempotencyKey: string;
  mode: string;
  sloMs: number;
};

export type StatusWarning = { pointer: string; code: string; message: string };

export type EngineInput = {
  echo: Echo;
  timestamp: Date;
  assets: { siteId: string; facilityId?: string; zoneId?: string; clusterId?: string };
  currency: string;
  // signals (kW, °C, %, g/kWh, currency/kWh)
  itKw?: number;
  facilityKw?: number;
  carbonGPerKwh?: number;
  pricePerKwh?: number;
  p95InletC?: number;
  hotspotRackCount?: number;
  setpointC?: number;
  chillerKw?: number;
  fanKw?: number;
  valvePct?: number;
  batchPct?: number;
  // constraints and preferences, defaults applied
  maxSetpointChangeC: number;
  maxRackInletP95C: number;
  /** Absent: the request sets no hotspot cap. */
  maxHotspotRackCount?: number;
  maxRiskScore: number;
  preferLowerCarbon: boolean;
  topK: number;
  weights: Weights;
  horizonMinutes: number;
  maxMissingRatio?: number;
  maxStalenessSeconds?: number;
  /** JSON Pointers of the rule inputs the request lacks. */
  missing: string[];
  /** The document the fingerprint is computed over. */
  document: Record<string, unknown>;
};

export type Action = {
  type: string;
  target: string;
  current: number | null;
  suggested: number | null;
  delta: number | null;
  units: string;
};

/** A candidate action at one size, with everything needed to rank, admit and explain it. */
export type Evaluation = {
  category: Category;
  action: Action;
  /** True for actions that raise rack inlet temperatures (they share one thermal budget). */
  loading: boolean;
  /** Predicted p95 inlet rise, °C (0 unless loading). */
  inletRiseC: number;
  /** Risk of a non-loading action; a loading action's risk comes from the thermal budget. */
  ownRisk: number;
  facilityKwDelta: number;
  co2eKgPerDayDelta: number;
  /** Thermal-risk objective score of a non-loading action (−1…1). */
  thermalScore: number;
  /** Workload-efficiency objective score (−1…1). */
  workloadScore: number;
  reasonCodes: string[];
  organismTags: string[];
  /** Plain-English explanation, given the risk the engine attributes to the action. */
  narrative: (riskScore: number) => string;
};

/** An action a rule proposes, at any of its sizes (largest first). */
export type Candidate = { category: Category; sizes: number[]; evaluate: (size: number) => Evaluation };

/** A rule's outcome: a candidate, or why there is none (degraded when an input was missing). */
export type RuleOutcome = { candidate: Candidate } | { note: string; degraded: boolean };

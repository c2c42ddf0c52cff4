import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EnterpriseStructureSchema } from "./enterprise-structure";
import { normalizeEnterprise } from "./normalize-enterprise";
import { normalizeSimple, snakeCase } from "./normalize-simple";
import { payloadHash } from "./payload-hash";
import { validateEnterprise, type MassValidation } from "./validate-enterprise";

const example = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as Record<
  string,
  unknown
>;
const simpleExample = JSON.parse(readFileSync("lib/mass/examples/simple-request.json", "utf8")) as {
  payload: Record<string, unknown>;
};
const NOW = new Date("2026-11-20T14:05:00Z");

function clone<T>(v: T): T {
  return structuredClone(v);
}

// Fields whose bounds interact with a partner field (p95 ≥ avg, return vs supply): the partner is
// removed while a bound is tested, so only the bound itself is in play.
const PARTNERS: Record<string, string> = {
  avg_rack_inlet_c: "p95_rack_inlet_c",
  p95_rack_inlet_c: "avg_rack_inlet_c",
  supply_temp_c: "return_temp_c",
  return_temp_c: "supply_temp_c",
};

/** The example with one value replaced at a path (or deleted when value is undefined). */
function withValue(path: string[], value: unknown, keepPartner = false): Record<string, unknown> {
  const doc = clone(example);
  const partner = PARTNERS[path.at(-1)!];
  if (partner && !keepPartner) {
    const group = (doc.request as { signals: { thermal: Record<string, unknown> } }).signals.thermal;
    delete group[partner];
  }
  let node = doc as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
  return doc;
}

const validate = (doc: unknown, header?: string): MassValidation =>
  validateEnterprise(doc, { now: NOW, idempotencyKeyHeader: header });
const pointers = (r: MassValidation) => (r.ok ? [] : r.issues.map((i) => `${i.layer} ${i.pointer}`));

describe("the contract's examples", () => {
  it("accepts the enterprise example with no warnings and normalizes it", () => {
    const r = validate(example);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toEqual([]);
    const req = r.normalized.request as Record<string, Record<string, unknown>>;
    expect(req.timestamp_utc).toBe("2026-11-20T14:00:05Z");
    expect(req.time_window).toEqual({
      start_utc: "2026-11-20T13:00:00Z",
      end_utc: "2026-11-20T14:00:00Z",
      granularity_seconds: 300,
    });
    expect(req.data_contract!.currency).toBe("EUR");
    expect(r.payloadHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(validate(clone(example)))).toBe(JSON.stringify(r));
  });

  it("normalizes the simple example as the contract says", () => {
    const n = normalizeSimple(simpleExample.payload);
    expect(n).toEqual({
      badge: "007",
      cluster_id: "c07",
      facility_power_kw: 2576.7,
      it_load_kw: 1840.5,
      maintenance: false,
      notes: "weekly reading",
      readings: [21.5, 22, true],
      site_id: "mad1",
      timestamp_utc: "2026-11-20T14:00:00Z",
    });
  });
});

// path, lowest accepted, highest accepted, step past the bound, whole numbers only
const BOUNDS: [string[], number, number | null, number][] = [
  [["request", "timeout_ms"], 1, 60000, 1],
  [["request", "signals", "energy", "it_load_kw"], 0, null, 0.1],
  [["request", "signals", "energy", "ups_efficiency_pct"], 0, 100, 0.1],
  [["request", "signals", "energy", "carbon_intensity_gco2_per_kwh"], 0, 2000, 0.1],
  [["request", "signals", "energy", "energy_price_usd_per_kwh"], 0, 10, 0.01],
  [["request", "signals", "thermal", "avg_rack_inlet_c"], -10, 60, 0.1],
  [["request", "signals", "thermal", "p95_rack_inlet_c"], -10, 60, 0.1],
  [["request", "signals", "thermal", "hotspot_rack_count"], 0, null, 1],
  [["request", "signals", "thermal", "supply_temp_c"], -10, 80, 0.1],
  [["request", "signals", "thermal", "return_temp_c"], -10, 80, 0.1],
  [["request", "signals", "cooling", "cooling_setpoint_c"], 5, 35, 0.1],
  [["request", "signals", "cooling", "chiller_kw"], 0, null, 0.1],
  [["request", "signals", "cooling", "fan_power_kw"], 0, null, 0.1],
  [["request", "signals", "cooling", "cooling_valve_position_pct"], 0, 100, 0.1],
  [["request", "signals", "workload", "cpu_util_avg"], 0, 100, 0.1],
  [["request", "signals", "workload", "gpu_util_avg"], 0, 100, 0.1],
  [["request", "signals", "workload", "queue_depth"], 0, null, 1],
  [["request", "signals", "workload", "tokens_per_watt_est"], 0, null, 0.1],
  [["request", "data_contract", "quality_flags", "max_missing_ratio"], 0, 1, 0.01],
  [["request", "data_contract", "quality_flags", "max_staleness_seconds"], 0, null, 1],
  [["request", "constraints", "hard", "max_setpoint_change_c"], 0, 5, 0.1],
  [["request", "constraints", "hard", "max_hotspot_rack_count"], 0, null, 1],
  [["request", "constraints", "hard", "max_rack_inlet_p95_c"], 15, 45, 0.1],
  [["request", "constraints", "soft", "max_risk_score"], 0, 1, 0.01],
  [["request", "preferences", "recommendation_horizon_minutes"], 1, 10080, 1],
  [["request", "preferences", "top_k"], 1, 20, 1],
];

describe("semantic ranges: accepted at the bound, refused just past it", () => {
  for (const [path, min, max, step] of BOUNDS) {
    const name = path.slice(1).join(".");
    const pointer = `semantic /${path.join("/")}`;
    it(`${name}: ${min} ok, ${min - step} refused`, () => {
      expect(pointers(validate(withValue(path, min)))).not.toContain(pointer);
      expect(pointers(validate(withValue(path, min - step)))).toContain(pointer);
    });
    if (max !== null) {
      it(`${name}: ${max} ok, ${max + step} refused`, () => {
        expect(pointers(validate(withValue(path, max)))).not.toContain(pointer);
        expect(pointers(validate(withValue(path, max + step)))).toContain(pointer);
      });
    }
  }

  it.each([
    [["request", "timeout_ms"], 1.5],
    [["request", "signals", "workload", "queue_depth"], 2.5],
    [["request", "preferences", "top_k"], 3.2],
  ])("%j must be a whole number", (path, value) => {
    expect(pointers(validate(withValue(path as string[], value)))).toContain(
      `semantic /${(path as string[]).join("/")}`,
    );
  });
});

describe("semantic relations", () => {
  it.each<[string, string[], unknown, string]>([
    [
      "facility below IT power",
      ["request", "signals", "energy", "facility_power_kw"],
      1800,
      "/request/signals/energy/facility_power_kw",
    ],
    ["PUE below 1", ["request", "signals", "energy", "pue_current"], 0.99, "/request/signals/energy/pue_current"],
    ["SLO above timeout", ["request", "service_level_objective_ms"], 3001, "/request/service_level_objective_ms"],
    [
      "p95 inlet below average",
      ["request", "signals", "thermal", "p95_rack_inlet_c"],
      22.3,
      "/request/signals/thermal/p95_rack_inlet_c",
    ],
    [
      "job mix over 100 %",
      ["request", "signals", "workload", "job_mix", "batch_pct"],
      38.1,
      "/request/signals/workload/job_mix",
    ],
    ["window reversed", ["request", "time_window", "end_utc"], "2026-11-20T12:00:00Z", "/request/time_window"],
    ["window over 31 days", ["request", "time_window", "start_utc"], "2026-10-20T13:59:59Z", "/request/time_window"],
    [
      "granularity above window",
      ["request", "time_window", "granularity_seconds"],
      3601,
      "/request/time_window/granularity_seconds",
    ],
    [
      "bad traceparent",
      ["trace", "traceparent"],
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "/trace/traceparent",
    ],
    ["bad correlation id", ["correlation_id"], "has spaces", "/correlation_id"],
    ["bad tenant", ["request", "tenant_id"], "ACME Cloud", "/request/tenant_id"],
    ["short idempotency key", ["request", "idempotency_key"], "short", "/request/idempotency_key"],
    ["empty site", ["request", "assets", "site_id"], "  ", "/request/assets/site_id"],
    ["unparseable timestamp", ["request", "timestamp_utc"], "20/11/2026", "/request/timestamp_utc"],
    [
      "all-zero weights",
      ["request", "preferences", "objective_weights"],
      { energy: 0, thermal_risk: 0, workload_efficiency: 0 },
      "/request/preferences/objective_weights",
    ],
  ])("refuses %s", (_name, path, value, pointer) => {
    expect(pointers(validate(withValue(path, value, true)))).toContain(`semantic ${pointer}`);
  });

  it("accepts a 31-day window exactly", () => {
    expect(validate(withValue(["request", "time_window", "start_utc"], "2026-10-20T14:00:00Z")).ok).toBe(true);
  });

  it("requires the Idempotency-Key header to equal the body's key", () => {
    expect(validate(example, "idem-mad1-c07-20261120T1400").ok).toBe(true);
    expect(pointers(validate(example, "another-key-123"))).toContain("semantic /request/idempotency_key");
  });
});

describe("contract layer", () => {
  it.each<[string[], unknown]>([
    [["schema_version"], "1.0"],
    [["request", "data_contract", "units"], "kVA"],
    [["request", "data_contract", "currency"], "XYZ"],
    [["request", "data_contract", "data_classification"], "public"],
    [["request", "data_contract", "no_pii"], false],
  ])("refuses %j = %j", (path, value) => {
    const r = validate(withValue(path, value));
    expect(pointers(r)).toContain(`contract /${path.join("/")}`);
  });

  it("accepts a lower-case supported currency and upper-cases it", () => {
    const r = validate(withValue(["request", "data_contract", "currency"], " chf "));
    expect(r.ok && (r.normalized.request as { data_contract: { currency: string } }).data_contract.currency).toBe(
      "CHF",
    );
  });
});

describe("business layer", () => {
  it("requires no_control_actions in shadow mode", () => {
    expect(pointers(validate(withValue(["request", "constraints", "hard", "no_control_actions"], false)))).toContain(
      "business /request/constraints/hard/no_control_actions",
    );
    const advisory = withValue(["request", "mode"], "advisory");
    (
      advisory.request as { constraints: { hard: { no_control_actions: boolean } } }
    ).constraints.hard.no_control_actions = false;
    expect(validate(advisory).ok).toBe(true);
  });

  it("caps the SLO at 5000 ms in prod only", () => {
    const prod = withValue(["request", "timeout_ms"], 6000);
    (prod.request as Record<string, unknown>).service_level_objective_ms = 5001;
    expect(pointers(validate(prod))).toContain("business /request/service_level_objective_ms");
    (prod.request as Record<string, unknown>).service_level_objective_ms = 5000;
    expect(validate(prod).ok).toBe(true);
    (prod.request as Record<string, unknown>).environment = "staging";
    (prod.request as Record<string, unknown>).service_level_objective_ms = 5001;
    expect(validate(prod).ok).toBe(true);
  });

  it("refuses a timestamp more than 5 minutes in the future", () => {
    expect(validate(withValue(["request", "timestamp_utc"], "2026-11-20T14:10:00Z")).ok).toBe(true);
    expect(pointers(validate(withValue(["request", "timestamp_utc"], "2026-11-20T14:10:01Z")))).toContain(
      "business /request/timestamp_utc",
    );
  });
});

describe("structural layer", () => {
  it("reports unknown keys at every level but payload, missing fields and wrong types, all at once", () => {
    const doc = withValue(["request", "signals", "energy", "it_load"], 5);
    (doc as Record<string, unknown>).extra = true;
    delete (doc.request as Record<string, unknown>).request_id;
    (doc.request as Record<string, unknown>).timeout_ms = "fast";
    (doc as Record<string, unknown>).payload = { anything: { goes: ["here"] } };
    const r = validate(doc);
    expect(pointers(r)).toEqual(
      expect.arrayContaining([
        "structural /extra",
        "structural /request/signals/energy/it_load",
        "structural /request/request_id",
        "structural /request/timeout_ms",
      ]),
    );
    expect(pointers(r).some((p) => p.includes("/payload"))).toBe(false);
  });

  it("reports structural and later-layer problems together", () => {
    const doc = withValue(["request", "signals", "energy", "ups_efficiency_pct"], 101);
    (doc as Record<string, unknown>).schema_version = "2.0";
    (doc.request as Record<string, unknown>).unknown = 1;
    expect(pointers(validate(doc))).toEqual(
      expect.arrayContaining([
        "structural /request/unknown",
        "semantic /request/signals/energy/ups_efficiency_pct",
        "contract /schema_version",
      ]),
    );
  });

  it("limits payload depth and size", () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 9; i++) deep = { d: deep };
    expect(pointers(validate({ ...clone(example), payload: deep }))).toContain("semantic /payload");
    expect(pointers(validate({ ...clone(example), payload: { big: "x".repeat(70_000) } }))).toContain(
      "semantic /payload",
    );
  });
});

describe("normalization", () => {
  const normalized = (doc: unknown) => {
    const r = validate(doc);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.normalized as {
      request: Record<string, Record<string, Record<string, number>>>;
      trace?: { traceparent: string };
      correlation_id: string;
    };
  };

  it.each([
    ["W", 1_840_500, 1840.5],
    ["MW", 1.8405, 1840.5],
    ["kWh", 153.375, 1840.5],
  ])("converts %s to kW", (units, value, kw) => {
    const doc = withValue(["request", "data_contract", "units"], units);
    const energy = (doc.request as { signals: { energy: Record<string, number> } }).signals.energy;
    energy.it_load_kw = value;
    energy.facility_power_kw = value * 1.4;
    const n = normalized(doc);
    expect(n.request.signals!.energy!.it_load_kw).toBeCloseTo(kw, 6);
    expect(n.request.signals!.energy!.facility_power_kw).toBeCloseTo(kw * 1.4, 6);
    expect((n.request.data_contract as unknown as { units: string }).units).toBe("kW");
  });

  it("maps legacy trace ids and window keys, and derives a missing correlation id deterministically", () => {
    const doc = clone(example);
    doc.trace = { trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: "00f067aa0ba902b7" };
    doc.correlation_id = "";
    const w = (doc.request as { time_window: Record<string, unknown> }).time_window;
    w.start = Date.UTC(2026, 10, 20, 13) / 1000;
    w.end = "2026-11-20T14:00:00.000Z";
    delete w.start_utc;
    delete w.end_utc;
    const n = normalized(doc);
    expect(n.trace?.traceparent).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    expect(n.request.time_window).toEqual({
      start_utc: "2026-11-20T13:00:00Z",
      end_utc: "2026-11-20T14:00:00Z",
      granularity_seconds: 300,
    });
  });

  it("derives the same correlation id for the same request", () => {
    const doc = withValue(["request", "time_window", "start_utc"], "2026-11-20T13:00:00Z");
    doc.correlation_id = "";
    const a = normalized(clone(doc)).correlation_id;
    expect(a).toMatch(/^corr-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(normalized(clone(doc)).correlation_id).toBe(a);
  });

  it("normalizes objective weights to sum 1", () => {
    const n = normalized(
      withValue(["request", "preferences", "objective_weights"], {
        energy: 0.2,
        thermal_risk: 0.2,
        workload_efficiency: 0.4,
      }),
    );
    expect(n.request.preferences!.objective_weights).toEqual({
      energy: 0.25,
      thermal_risk: 0.25,
      workload_efficiency: 0.5,
    });
  });

  it("turns numeric strings into numbers", () => {
    const n = normalized(withValue(["request", "signals", "energy", "it_load_kw"], "1840.5"));
    expect(n.request.signals!.energy!.it_load_kw).toBe(1840.5);
  });

  it("warns (without refusing) on a PUE far from facility/IT and on return below supply", () => {
    const doc = withValue(["request", "signals", "energy", "pue_current"], 1.6);
    (doc.request as { signals: { thermal: Record<string, number> } }).signals.thermal.return_temp_c = 17;
    const r = validate(doc);
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.code).sort()).toEqual(["pue_mismatch", "return_below_supply"]);
  });
});

// Arbitrary reorderings of an object's keys, at every depth.
function shuffled(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v, seed));
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    const k = seed % Math.max(1, entries.length);
    return Object.fromEntries(
      [...entries.slice(k), ...entries.slice(0, k)].reverse().map(([key, v]) => [key, shuffled(v, seed * 31 + 7)]),
    );
  }
  return value;
}

describe("properties", () => {
  const energy = fc.record({
    it_load_kw: fc.double({ min: 0, max: 1e6, noNaN: true }),
    extra: fc.double({ min: 0, max: 5e5, noNaN: true }),
  });
  const weights = fc.record({
    energy: fc.double({ min: 0, max: 1, noNaN: true }),
    thermal_risk: fc.double({ min: 0, max: 1, noNaN: true }),
    workload_efficiency: fc.double({ min: 0.01, max: 1, noNaN: true }),
  });
  const units = fc.constantFrom("W", "kW", "MW", "kWh");

  it("enterprise normalization is idempotent and independent of key order", () => {
    fc.assert(
      fc.property(energy, weights, units, fc.nat(1000), (e, w, u, seed) => {
        const doc = clone(example) as {
          request: {
            signals: { energy: Record<string, number> };
            preferences: { objective_weights: unknown };
            data_contract: { units: string };
          };
        };
        doc.request.signals.energy.it_load_kw = e.it_load_kw;
        doc.request.signals.energy.facility_power_kw = e.it_load_kw + e.extra;
        delete (doc.request.signals.energy as Record<string, unknown>).pue_current;
        doc.request.preferences.objective_weights = w;
        doc.request.data_contract.units = u;
        const first = validate(doc);
        expect(first.ok).toBe(true);
        if (!first.ok) return;
        const again = validate(first.normalized);
        expect(again.ok && again.normalized).toEqual(first.normalized);
        expect(again.ok && again.payloadHash).toBe(first.payloadHash);
        const reordered = validate(shuffled(doc, seed));
        expect(reordered.ok && reordered.payloadHash).toBe(first.payloadHash);
      }),
      { numRuns: 150 },
    );
  });

  it("never throws on arbitrary JSON, and refuses what is not a valid request", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const r = validate(value);
        expect(typeof r.ok).toBe("boolean");
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (key, value) => {
        const doc = clone(example) as Record<string, Record<string, unknown>>;
        doc.request![key] = value;
        expect(() => validate(doc)).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it("simple normalization is idempotent and key-order independent", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.nat(1000), (payload, seed) => {
        const once = normalizeSimple(payload);
        expect(normalizeSimple(once)).toEqual(once);
        expect(payloadHash(normalizeSimple(shuffled(payload, seed) as Record<string, unknown>))).toBe(
          payloadHash(once),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("simple numbers: a plain decimal string becomes that number, anything else stays a string", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -1e9, max: 1e9 }).map(String),
          fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
          fc.string(),
        ),
        (text) => {
          const out = normalizeSimple({ v: text }).v;
          const plain = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text.trim());
          const lowered = text.trim().toLowerCase();
          if (["true", "false", "yes", "no"].includes(lowered)) expect(typeof out).toBe("boolean");
          else if (
            plain &&
            Number.isFinite(Number(text)) &&
            !(Number.isInteger(Number(text)) && Math.abs(Number(text)) > 2 ** 53)
          )
            expect(out).toBe(Number(text));
          else expect(out).toBe(text.trim());
        },
      ),
      { numRuns: 500 },
    );
  });

  it("keeps values named like Object.prototype members as strings", () => {
    expect(normalizeSimple({ a: "__proto__", b: "constructor", c: " toString ", d: "hasOwnProperty" })).toEqual({
      a: "__proto__",
      b: "constructor",
      c: "toString",
      d: "hasOwnProperty",
    });
  });

  it("snake-cases keys", () => {
    expect(["Site ID", "clusterId", "IT-Load (KW)", "already_snake", "HTTPServer"].map(snakeCase)).toEqual([
      "site_id",
      "cluster_id",
      "it_load_kw",
      "already_snake",
      "http_server",
    ]);
  });
});

describe("structure schema", () => {
  it("is the one the normalizer reads", () => {
    expect(EnterpriseStructureSchema.safeParse(example).success).toBe(true);
    expect(normalizeEnterprise(EnterpriseStructureSchema.parse(example))).toEqual(
      (validate(example) as { normalized: unknown }).normalized,
    );
  });
});

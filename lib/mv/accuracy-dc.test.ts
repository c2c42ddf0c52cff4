// dc_lift against an independent reference: statsmodels (scripts/mv-fixtures/reference-dc-lift.py,
// output lib/mv/fixtures/reference-dc-lift.json) on the demo's mad1 cooling-boundary fixtures —
// coefficients, SE, t, p, R², adjusted R², SSE, the balance-point search and the adjusted baseline,
// hourly and daily (the daily lift term from each hour's IT energy), to a relative error of 1e-6.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Interval } from "./intervals";
import { fitModel } from "./models";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");
type RefCase = {
  granularity: "hourly" | "daily";
  balance_point_c: number;
  balance_point_c_spec?: null;
  candidates: { balance_point_c: number; adj_r2: number; slope: number; qualifies: boolean }[];
  coefficients: { name: string; estimate: number; std_error: number; t: number; p_value: number }[];
  r2: number;
  adj_r2: number;
  sse: number;
  n: number;
  adjusted_baseline_kwh: number;
};
const reference = JSON.parse(read("reference-dc-lift.json")) as {
  inputs_sha256: Record<string, string>;
  cases: Record<string, RefCase>;
};

function intervalsOf(name: string): { baseline: Interval[]; reporting: Interval[] } {
  const [header, ...lines] = read(name).trimEnd().split("\n");
  const cols = header!.split(",");
  const at = (c: string) => cols.indexOf(c);
  const tempCols = cols.flatMap((c, i) => (c.startsWith("temp_") ? [i] : []));
  const out = { baseline: [] as Interval[], reporting: [] as Interval[] };
  for (const line of lines) {
    const f = line.split(",");
    const iv: Interval = {
      startMs: Date.parse(f[at("start")]!),
      energyKwh: Number(f[at("energy_kwh")]),
      itKwh: Number(f[at("it_kwh")]),
      facilityKwh: null,
      hourlyTempsC: tempCols.map((i) => Number(f[i])),
      pricePerKwh: null,
      carbonGPerKwh: null,
    };
    (f[at("period")] === "baseline" ? out.baseline : out.reporting).push(iv);
  }
  return out;
}

const hourly = intervalsOf("hourly.csv");
const daily = intervalsOf("daily.csv");
const itAt = new Map([...hourly.baseline, ...hourly.reporting].map((iv) => [iv.startMs, iv.itKwh!]));
for (const iv of [...daily.baseline, ...daily.reporting])
  iv.hourlyItKwh = Array.from({ length: 24 }, (_, h) => itAt.get(iv.startMs + h * 3_600_000)!);

const close = (what: string, actual: number, expected: number, abs = 0) => {
  const err = Math.abs(actual - expected);
  expect(err <= Math.max(1e-6 * Math.abs(expected), abs), `${what}: ${actual} vs ${expected}`).toBe(true);
};

describe("dc_lift against statsmodels", () => {
  it("reads the inputs the reference was made from", () => {
    for (const name of ["hourly.csv", "daily.csv"])
      expect(createHash("sha256").update(read(name)).digest("hex")).toBe(reference.inputs_sha256[name]);
  });

  it.each(Object.entries(reference.cases))("%s", (name, ref) => {
    const data = ref.granularity === "hourly" ? hourly : daily;
    const model = fitModel(
      { kind: "dc_lift", balancePointC: ref.balance_point_c_spec === null ? null : ref.balance_point_c },
      data.baseline,
      ref.granularity,
    );
    expect(model.balancePointC).toBe(ref.balance_point_c);
    expect(model.fit.n).toBe(ref.n);
    expect(model.fit.coefficients.map((c) => c.name)).toEqual(ref.coefficients.map((c) => c.name));
    model.fit.coefficients.forEach((c, j) => {
      const r = ref.coefficients[j]!;
      close(`${name} ${c.name} estimate`, c.estimate, r.estimate);
      close(`${name} ${c.name} SE`, c.stdError, r.std_error);
      close(`${name} ${c.name} t`, c.tStat, r.t);
      close(`${name} ${c.name} p`, c.pValue, r.p_value, 1e-9);
    });
    close(`${name} R²`, model.fit.r2, ref.r2);
    close(`${name} adjusted R²`, model.fit.adjR2, ref.adj_r2);
    close(`${name} SSE`, model.fit.sse, ref.sse);
    close(
      `${name} adjusted baseline`,
      Array.from(model.predict(data.reporting)).reduce((s, v) => s + v, 0),
      ref.adjusted_baseline_kwh,
    );
    if (ref.candidates.length > 0) {
      expect(model.balancePointSearch.map((c) => [c.balancePointC, c.qualifies])).toEqual(
        ref.candidates.map((c) => [c.balance_point_c, c.qualifies]),
      );
      model.balancePointSearch.forEach((c, j) =>
        close(`${name} candidate ${c.balancePointC} adjusted R²`, c.adjR2!, ref.candidates[j]!.adj_r2),
      );
    }
  });
});

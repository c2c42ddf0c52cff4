// Every panel counts every interval once and honours every filter, checked against an independent
// oracle on messy generated worlds (README "One value per series and interval").
//
// A world: two tenants whose assets (site / cluster / zone; one asset with no cluster or zone, and
// the same ids reused across tenants) hold 15-minute rows that end at different times (mid-hour
// too) and have a gap each; per tenant a dataset, in tenant a possibly a new version of it (the
// same name: it replaces the first version, partly corrected, partly extended) and a copy of part
// of it under another name (same readings or different ones), uploaded in a random order; and MASS
// Simple readings inside and outside the CSV coverage, with and without cluster/zone fields (never
// two for the same site/cluster/zone and timestamp). Then random scopes (tenant, site, cluster,
// zone filters, any combination) and random periods (minute resolution, so partial hours occur).
//
// The oracle is plain arithmetic over the rows the test generated, knowing which upload or MASS
// request each row came from: only the latest version of each dataset is live; within a tenant, an
// asset's (site, cluster, zone) UTC hour keeps the rows of its highest-ranked live source with data
// anywhere in that hour (uploads ranked by upload order, MASS lowest); a row is in a period when its
// interval starts in [from, to). No rollup, plan or SQL of the product is used.
//
// Checks, per scope and period:
// 1. GET /api/v1/kpi: facility and IT kWh, rows, coverage (per asset: present time over the period,
//    at most 1) equal the oracle's, for the period and for the previous equal period; PUE is
//    Σ facility / Σ IT of the figures shown; facility ≥ IT (every generated row has both, facility
//    above IT).
// 2. GET /api/v1/kpi/trends: the bucket size follows the documented ladder, the buckets with data
//    are the oracle's, each bucket's average powers (energy over the part of the bucket inside the
//    period, rounded to 0.1 kW) and PUE (4 digits) are the oracle's, and the buckets' energies sum
//    to the KPI totals (within the rounding).
// 3. GET /api/v1/kpi/compare (before/after) with explicit periods or an event time (±1 day): the
//    before and after energy, rows and PUE equal the oracle's, and the time-of-day profile (average
//    facility power and PUE per UTC hour of day) equals the oracle's.
// 4. Exports: the observations CSV is a raw export — every stored row of the live sources (latest
//    version of each dataset, live MASS) in scope and period, overlaps NOT resolved, each with its
//    source; the test asserts exactly that multiset (and the observations table's total), not the
//    resolved rows. The KPI CSV's current column equals the API's KPIs and names the same period.
// 5. Every comparison above is with the oracle restricted to the scope, so a figure that included
//    a row of another tenant, site, cluster or zone would fail; an empty scope must give no data.
//
// INVARIANT_RUNS sets the number of generated worlds (default 8, about 20 s); FC_SEED other inputs.
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { mulberry32 } from "@/lib/seeded-random";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { baseUrl, call, freshIp, userWithRole } from "../support/http";

const RUNS = Number(process.env.INVARIANT_RUNS ?? 8);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STEP = 900_000; // 15-minute intervals
const H = STEP / HOUR;
const D0 = Date.parse("2026-05-04T00:00:00Z");

type TenantKey = "a" | "b";
type Asset = { site: string; cluster: string | null; zone: string | null };
const ASSETS: Record<TenantKey, Asset[]> = {
  a: [
    { site: "s1", cluster: "c1", zone: "z1" },
    { site: "s1", cluster: "c1", zone: "z2" },
    { site: "s1", cluster: "c2", zone: "z1" },
    { site: "s2", cluster: "c1", zone: "z1" },
  ],
  b: [
    { site: "s1", cluster: "c1", zone: "z1" },
    { site: "s3", cluster: null, zone: null },
  ],
};
const EVERY_ASSET = (["a", "b"] as const).flatMap((t) => ASSETS[t].map((asset) => ({ t, asset })));

/** A generated row: `rank` is its source's precedence (upload order; MASS 0), `live` whether its source is read. */
type Row = {
  t: TenantKey;
  asset: Asset;
  start: number;
  fac: number;
  it: number;
  rank: number;
  source: string;
  live: boolean;
};
type Scope = { tenant?: TenantKey; site?: string; cluster?: string; zone?: string };
type Kpis = {
  facility_kwh: number | null;
  it_kwh: number | null;
  pue: number | null;
  rows: number;
  coverage: number | null;
};

const assetKey = (r: { t: TenantKey; asset: Asset }) =>
  `${r.t}|${r.asset.site}|${r.asset.cluster ?? ""}|${r.asset.zone ?? ""}`;

// Readings from a small seeded generator (the structure comes from fast-check): mulberry32, as the demo uses.

// Scopes: mostly some of the filters of one generated asset (so they hold data), sometimes any
// combination of ids (often a scope with nothing in it).
const scopeArb: fc.Arbitrary<Scope> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({
        asset: fc.integer({ min: 0, max: EVERY_ASSET.length - 1 }),
        use: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      })
      .map(({ asset, use }) => {
        const { t, asset: a } = EVERY_ASSET[asset]!;
        return {
          tenant: use[0] ? t : undefined,
          site: use[1] ? a.site : undefined,
          cluster: use[2] ? (a.cluster ?? undefined) : undefined,
          zone: use[3] ? (a.zone ?? undefined) : undefined,
        };
      }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      tenant: fc.constantFrom(undefined, "a" as const, "b" as const),
      site: fc.constantFrom(undefined, "s1", "s2", "s3"),
      cluster: fc.constantFrom(undefined, "c1", "c2", "c3"),
      zone: fc.constantFrom(undefined, "z1", "z2", "z3"),
    }),
  },
);
const world = fc.record({
  seed: fc.integer(),
  // Per asset: where its data ends (in 15-minute slots from D0) and a gap.
  ends: fc.array(fc.integer({ min: 20, max: 170 }), { minLength: EVERY_ASSET.length, maxLength: EVERY_ASSET.length }),
  gaps: fc.array(fc.record({ at: fc.integer({ min: 0, max: 160 }), slots: fc.integer({ min: 0, max: 12 }) }), {
    minLength: EVERY_ASSET.length,
    maxLength: EVERY_ASSET.length,
  }),
  // A new version of tenant a's dataset: which assets it keeps, whether their readings were corrected, how far it extends them.
  v2: fc.option(
    fc.record({
      keep: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      corrected: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      extend: fc.integer({ min: 0, max: 12 }),
    }),
    { nil: null },
  ),
  // A copy of part of tenant a's data under another name: some assets over a window, the same readings or new ones.
  copy: fc.record({
    assets: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
    from: fc.integer({ min: -4, max: 150 }),
    slots: fc.integer({ min: 1, max: 60 }),
    duplicate: fc.boolean(),
    beforeV2: fc.boolean(),
  }),
  // A copy in tenant b too (uploaded last), over its s1.
  copyB: fc.option(fc.record({ from: fc.integer({ min: 0, max: 150 }), slots: fc.integer({ min: 1, max: 40 }) }), {
    nil: null,
  }),
  mass: fc.uniqueArray(
    fc.record({ asset: fc.integer({ min: 0, max: EVERY_ASSET.length - 1 }), slot: fc.integer({ min: -8, max: 180 }) }),
    {
      maxLength: 10,
      // Never two MASS readings for one site/cluster/zone and timestamp (whatever the tenant).
      selector: (m) =>
        `${EVERY_ASSET[m.asset]!.asset.site}|${EVERY_ASSET[m.asset]!.asset.cluster}|${EVERY_ASSET[m.asset]!.asset.zone}|${m.slot}`,
    },
  ),
  checks: fc.array(
    fc.record({
      scope: scopeArb,
      fromMin: fc.integer({ min: -4 * 60, max: 32 * 60 }),
      // Mostly up to 56 hours; sometimes days, so trend buckets of a day and more (from UTC midnight) occur.
      lengthMin: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 20, max: 56 * 60 }) },
        { weight: 1, arbitrary: fc.integer({ min: 3 * 24 * 60, max: 12 * 24 * 60 }) },
      ),
      afterMin: fc.integer({ min: 20, max: 30 * 60 }),
      event: fc.boolean(),
      points: fc.constantFrom(10, 24, 60, 400),
    }),
    { minLength: 3, maxLength: 3 },
  ),
});

// ---------------------------------------------------------------------------------------------
// The oracle

const inScope = (r: Row, s: Scope) =>
  (!s.tenant || r.t === s.tenant) &&
  (!s.site || r.asset.site === s.site) &&
  (!s.cluster || r.asset.cluster === s.cluster) &&
  (!s.zone || r.asset.zone === s.zone);

/** The rows that count: live sources only, and per tenant, asset and UTC hour the highest-ranked source with data in that hour. */
function resolved(rows: Row[]): Row[] {
  const live = rows.filter((r) => r.live);
  const top = new Map<string, number>();
  const hourKey = (r: Row) => `${assetKey(r)}@${Math.floor(r.start / HOUR)}`;
  for (const r of live) top.set(hourKey(r), Math.max(top.get(hourKey(r)) ?? -1, r.rank));
  return live.filter((r) => r.rank === top.get(hourKey(r)));
}

const within = (rows: Row[], s: Scope, from: number, to: number) =>
  rows.filter((r) => inScope(r, s) && r.start >= from && r.start < to);

function kpisOf(kept: Row[], from: number, to: number): Kpis {
  if (kept.length === 0) return { facility_kwh: null, it_kwh: null, pue: null, rows: 0, coverage: null };
  const fac = kept.reduce((s, r) => s + r.fac * H, 0);
  const it = kept.reduce((s, r) => s + r.it * H, 0);
  const assets = new Set(kept.map(assetKey));
  const coverage = Math.min(1, (kept.length * H) / (assets.size * Math.max(H, (to - from) / HOUR)));
  return { facility_kwh: fac, it_kwh: it, pue: fac / it, rows: kept.length, coverage };
}

/** The trend ladder (lib/kpi/trends.ts, documented in the API's bucket_seconds): the smallest step keeping ≤ points buckets. */
const LADDER = [
  900,
  1800,
  3600,
  7200,
  10_800,
  21_600,
  43_200,
  86_400,
  2 * 86_400,
  7 * 86_400,
  14 * 86_400,
  30 * 86_400,
];
function bucketOf(from: number, to: number, points: number) {
  const step = LADDER.find((s) => (to - from) / 1000 / s <= points) ?? LADDER[LADDER.length - 1]!;
  // Buckets start on UTC hours (steps up to a day) or UTC midnights (longer steps).
  const unit = Math.min(step, 86_400) * 1000;
  const origin = Math.floor(from / unit) * unit;
  return { step, start: (t: number) => origin + Math.floor((t - origin) / (step * 1000)) * step * 1000 };
}

// ---------------------------------------------------------------------------------------------

const close = (
  got: number | null | undefined,
  want: number,
  where: string,
  tolerance = 1e-9 * Math.max(1, Math.abs(want)),
) => {
  expect(got, where).not.toBeNull();
  expect(Math.abs(got! - want), `${where}: ${got} vs ${want}`).toBeLessThanOrEqual(tolerance);
};

function expectKpis(got: Kpis, want: Kpis, where: string) {
  expect(got.rows, where).toBe(want.rows);
  if (want.facility_kwh === null) {
    expect([got.facility_kwh, got.it_kwh, got.pue, got.coverage], where).toEqual([null, null, null, null]);
    return;
  }
  close(got.facility_kwh, want.facility_kwh, `${where} facility`);
  close(got.it_kwh, want.it_kwh!, `${where} IT`);
  close(got.pue, want.pue!, `${where} PUE`);
  // PUE is the ratio of the figures shown, and every row has facility above IT.
  close(got.pue, got.facility_kwh! / got.it_kwh!, `${where} PUE = facility / IT`);
  expect(got.facility_kwh!, where).toBeGreaterThanOrEqual(got.it_kwh!);
  expect(got.coverage!, where).toBeLessThanOrEqual(1);
  close(got.coverage, want.coverage!, `${where} coverage`);
}

async function json<T>(path: string, token: string): Promise<T> {
  const res = await call(path, { token });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

async function csv(path: string, token: string): Promise<string[][]> {
  const res = await call(path, { token });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return Papa.parse<string[]>((await res.text()).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
}

async function upload(token: string, tenant: string, name: string, rows: Row[]): Promise<string> {
  const lines = rows.map(
    (r) =>
      `${new Date(r.start).toISOString()},${r.asset.site},${r.asset.cluster ?? ""},${r.asset.zone ?? ""},900,${r.it},${r.fac}`,
  );
  const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name, tenant_id: tenant })}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
    body: `${["timestamp_utc,site_id,cluster_id,zone_id,interval_seconds,it_load_kw,facility_power_kw", ...lines].join("\n")}\n`,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as { created: boolean; version: { id: string; row_count?: number } };
  expect(body.created).toBe(true);
  return body.version.id;
}

describe("every panel counts every interval once and honours every filter", () => {
  it("matches the oracle on KPIs, trends, before/after and exports for random scopes and periods", async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const run = randomBytes(4).toString("hex");
        const tenants: Record<TenantKey, string> = { a: `inv-${run}-a`, b: `inv-${run}-b` };
        // An analyst of the two tenants only: "no tenant filter" then means this world's data alone.
        const { token } = await userWithRole("analyst", [tenants.a, tenants.b]);
        const random = mulberry32(w.seed);
        const reading = (t: TenantKey, asset: Asset, start: number): Omit<Row, "rank" | "source" | "live"> => {
          const fac = 100 + Math.floor(random() * 300);
          const pue = 1.1 + random() * 0.6;
          // IT = facility / PUE, rounded to the 0.01 kW the CSV carries.
          return { t, asset, start, fac, it: Math.round((fac / pue) * 100) / 100 };
        };
        const at = (slot: number) => D0 + slot * STEP;

        // The base data: per asset, slots [0, end) minus a gap.
        const base = EVERY_ASSET.map(({ t, asset }, i) => {
          const gap = w.gaps[i]!;
          const out: Omit<Row, "rank" | "source" | "live">[] = [];
          for (let s = 0; s < w.ends[i]!; s++)
            if (s < gap.at || s >= gap.at + gap.slots) out.push(reading(t, asset, at(s)));
          return out;
        });
        const baseA = base.slice(0, ASSETS.a.length);

        // The uploads, in order (rank = place in that order, so the latest upload ranks highest).
        type Upload = { tenant: TenantKey; name: string; rows: Omit<Row, "rank" | "source" | "live">[] };
        const uploads: Upload[] = [{ tenant: "a", name: "feed", rows: baseA.flat() }];
        const copy: Upload = {
          tenant: "a",
          name: "feed (copy)",
          rows: w.copy.assets.flatMap((a) => {
            const rows: Omit<Row, "rank" | "source" | "live">[] = [];
            for (let s = w.copy.from; s < w.copy.from + w.copy.slots; s++) {
              const same = baseA[a]!.find((r) => r.start === at(s));
              rows.push(w.copy.duplicate && same ? same : reading("a", ASSETS.a[a]!, at(s)));
            }
            return rows;
          }),
        };
        const v2: Upload | null = w.v2
          ? {
              tenant: "a",
              name: "feed",
              rows: ASSETS.a.flatMap((asset, a) => {
                if (!w.v2!.keep[a] && a !== 0) return [];
                const kept = baseA[a]!.map((r) => (w.v2!.corrected[a] ? { ...r, fac: r.fac + 7 } : r));
                const last = w.ends[a]!;
                for (let s = last; s < last + w.v2!.extend; s++) kept.push(reading("a", asset, at(s)));
                return kept;
              }),
            }
          : null;
        // Never the same bytes as version 1 (an identical upload returns the existing version).
        if (v2 && v2.rows.length > 0) v2.rows[0] = { ...v2.rows[0]!, fac: v2.rows[0]!.fac + 1 };
        if (v2 && !w.copy.beforeV2) uploads.push(v2, copy);
        else uploads.push(copy, ...(v2 ? [v2] : []));
        const bAssets = ASSETS.b.length;
        uploads.push({
          tenant: "b",
          name: "feed",
          rows: base.slice(ASSETS.a.length, ASSETS.a.length + bAssets).flat(),
        });
        if (w.copyB) {
          const rows: Omit<Row, "rank" | "source" | "live">[] = [];
          for (let s = w.copyB.from; s < w.copyB.from + w.copyB.slots; s++)
            rows.push(reading("b", ASSETS.b[0]!, at(s)));
          uploads.push({ tenant: "b", name: "feed (copy)", rows });
        }

        const rows: Row[] = [];
        for (const [i, u] of uploads.entries()) {
          if (u.rows.length === 0) continue;
          const id = await upload(token, tenants[u.tenant], u.name, u.rows as Row[]);
          // Only the latest version of each dataset is read.
          const live = !uploads
            .slice(i + 1)
            .some((x) => x.tenant === u.tenant && x.name === u.name && x.rows.length > 0);
          rows.push(...u.rows.map((r) => ({ ...r, rank: i + 1, source: `csv:${id}`, live })));
        }
        for (const m of w.mass) {
          const { t, asset } = EVERY_ASSET[m.asset]!;
          const r = reading(t, asset, at(m.slot));
          const res = await call("/api/v1/mass", {
            token,
            headers: { "Idempotency-Key": `${run}-${m.asset}-${m.slot}` },
            body: {
              payload: {
                tenant_id: tenants[t],
                site_id: asset.site,
                ...(asset.cluster ? { cluster_id: asset.cluster } : {}),
                ...(asset.zone ? { zone_id: asset.zone } : {}),
                timestamp_utc: new Date(r.start).toISOString(),
                interval_seconds: 900,
                it_load_kw: r.it,
                facility_power_kw: r.fac,
              },
            },
          });
          expect(res.status, await res.clone().text()).toBe(201);
          rows.push({ ...r, rank: 0, source: `mass:${((await res.json()) as { id: string }).id}`, live: true });
        }
        const kept = resolved(rows);

        for (const c of w.checks) {
          const scope = c.scope;
          const from = D0 + c.fromMin * 60_000;
          const to = from + c.lengthMin * 60_000;
          const filters: Record<string, string> = {};
          if (scope.tenant) filters.tenant_id = tenants[scope.tenant];
          if (scope.site) filters.site_id = scope.site;
          if (scope.cluster) filters.cluster_id = scope.cluster;
          if (scope.zone) filters.zone_id = scope.zone;
          const q = new URLSearchParams({
            period: "custom",
            from: new Date(from).toISOString(),
            to: new Date(to).toISOString(),
            ...filters,
          });
          const where = `${q}`;

          // 1. KPIs, this period and the previous equal one.
          const overview = await json<{ kpis: Kpis; previous: Kpis; previous_period: { from: string; to: string } }>(
            `/api/v1/kpi?${q}`,
            token,
          );
          const want = kpisOf(within(kept, scope, from, to), from, to);
          expectKpis(overview.kpis, want, `kpi ${where}`);
          const prevFrom = from - (to - from);
          expect(overview.previous_period).toEqual({
            from: new Date(prevFrom).toISOString(),
            to: new Date(from).toISOString(),
          });
          expectKpis(
            overview.previous,
            kpisOf(within(kept, scope, prevFrom, from), prevFrom, from),
            `previous ${where}`,
          );
          // 5. An empty scope shows nothing at all.
          if (
            within(
              rows.filter((r) => r.live),
              scope,
              from,
              to,
            ).length === 0
          )
            expect(overview.kpis.rows, where).toBe(0);

          // 2. Trend buckets.
          const trends = await json<{
            bucket_seconds: number;
            points: { t: string; facility_kw: number | null; it_kw: number | null; pue: number | null }[];
          }>(`/api/v1/kpi/trends?${q}&points=${c.points}`, token);
          const b = bucketOf(from, to, c.points);
          expect(trends.bucket_seconds, where).toBe(b.step);
          const buckets = new Map<number, { fac: number; it: number }>();
          for (const r of within(kept, scope, from, to)) {
            const k = b.start(r.start);
            const x = buckets.get(k) ?? { fac: 0, it: 0 };
            x.fac += r.fac * H;
            x.it += r.it * H;
            buckets.set(k, x);
          }
          expect(
            trends.points.map((p) => Date.parse(p.t)),
            `trend buckets ${where}`,
          ).toEqual([...buckets.keys()].sort((x, y) => x - y));
          let facSum = 0;
          let itSum = 0;
          let slack = 0;
          for (const p of trends.points) {
            const start = Date.parse(p.t);
            const hoursIn = (Math.min(start + b.step * 1000, to) - Math.max(start, from)) / HOUR;
            const o = buckets.get(start)!;
            const at = `trend ${p.t} ${where}`;
            close(p.facility_kw, o.fac / hoursIn, `${at} facility`, 0.05 + 1e-6);
            close(p.it_kw, o.it / hoursIn, `${at} IT`, 0.05 + 1e-6);
            close(p.pue, o.fac / o.it, `${at} PUE`, 5e-5 + 1e-9);
            facSum += p.facility_kw! * hoursIn;
            itSum += p.it_kw! * hoursIn;
            slack += 0.05 * hoursIn;
          }
          // The buckets' energies add up to the KPI totals (up to the 0.1 kW the points are rounded to).
          close(facSum, overview.kpis.facility_kwh ?? 0, `trend Σ facility ${where}`, slack + 1e-6);
          close(itSum, overview.kpis.it_kwh ?? 0, `trend Σ IT ${where}`, slack + 1e-6);

          // 3. Before/after, around an event (± 1 day) or with two explicit periods.
          const before = c.event ? { from: to - DAY, to } : { from, to };
          const after = c.event ? { from: to, to: to + DAY } : { from: to, to: to + c.afterMin * 60_000 };
          const cq = new URLSearchParams({
            ...filters,
            ...(c.event
              ? { event: new Date(to).toISOString(), days: "1" }
              : {
                  before_from: new Date(before.from).toISOString(),
                  before_to: new Date(before.to).toISOString(),
                  after_from: new Date(after.from).toISOString(),
                  after_to: new Date(after.to).toISOString(),
                }),
          });
          const cmp = await json<{
            before: { from: string; to: string };
            after: { from: string; to: string };
            kpis_before: Kpis;
            kpis_after: Kpis;
            profile: {
              slot: number;
              before_facility_kw: number | null;
              after_facility_kw: number | null;
              before_pue: number | null;
              after_pue: number | null;
            }[];
          }>(`/api/v1/kpi/compare?${cq}`, token);
          expect([cmp.before, cmp.after], `${cq}`).toEqual(
            [before, after].map((p) => ({ from: new Date(p.from).toISOString(), to: new Date(p.to).toISOString() })),
          );
          for (const [side, p, got] of [
            ["before", before, cmp.kpis_before],
            ["after", after, cmp.kpis_after],
          ] as const) {
            const inside = within(kept, scope, p.from, p.to);
            expectKpis(got, kpisOf(inside, p.from, p.to), `compare ${side} ${cq}`);
            // The profile: per UTC hour of day, energy over the time the slot's timestamps cover, and PUE.
            for (let slot = 0; slot < 24; slot++) {
              const inSlot = inside.filter((r) => new Date(r.start).getUTCHours() === slot);
              const row = cmp.profile.find((x) => x.slot === slot)!;
              const kw = side === "before" ? row.before_facility_kw : row.after_facility_kw;
              const pue = side === "before" ? row.before_pue : row.after_pue;
              const at = `profile ${side} slot ${slot} ${cq}`;
              if (inSlot.length === 0) {
                expect([kw, pue], at).toEqual([null, null]);
                continue;
              }
              const fac = inSlot.reduce((s, r) => s + r.fac * H, 0);
              const it = inSlot.reduce((s, r) => s + r.it * H, 0);
              close(kw, fac / (new Set(inSlot.map((r) => r.start)).size * H), `${at} kW`);
              close(pue, fac / it, `${at} PUE`);
            }
          }

          // 4. The observations export: every stored row of the live sources, each with its source (overlaps not resolved).
          const exported = await csv(`/api/v1/observations/export.csv?${q}`, token);
          const header = exported[0]!;
          const col = (name: string) => header.indexOf(name);
          const stored = within(
            rows.filter((r) => r.live),
            scope,
            from,
            to,
          );
          const fromCsv = exported
            .slice(1)
            .map((cells) =>
              [
                cells[col("interval_start_utc")],
                cells[col("tenant_id")],
                cells[col("site_id")],
                cells[col("cluster_id")],
                cells[col("zone_id")],
                cells[col("source")],
                Number(cells[col("facility_power_kw")]),
                Number(cells[col("it_load_kw")]),
              ].join("|"),
            );
          const fromOracle = stored.map((r) =>
            [
              new Date(r.start).toISOString(),
              tenants[r.t],
              r.asset.site,
              r.asset.cluster ?? "",
              r.asset.zone ?? "",
              r.source,
              r.fac,
              r.it,
            ].join("|"),
          );
          expect(fromCsv.sort(), `observations export ${where}`).toEqual(fromOracle.sort());
          const table = await json<{ total: number }>(`/api/v1/observations?${q}&limit=1`, token);
          expect(table.total, `observations table ${where}`).toBe(stored.length);

          // The KPI export: its current column is the API's KPIs for the same period.
          const summary = await csv(`/api/v1/kpi/export.csv?${q}`, token);
          expect(summary[0]![2], where).toBe(
            `current (${new Date(from).toISOString()} – ${new Date(to).toISOString()})`,
          );
          const cell = (label: string) => {
            const v = summary.find((r) => r[0] === label)![2]!;
            return v === "" ? null : Number(v);
          };
          for (const [label, value] of [
            ["Facility energy", overview.kpis.facility_kwh],
            ["IT energy", overview.kpis.it_kwh],
            ["PUE (energy-weighted)", overview.kpis.pue],
            ["Data coverage", overview.kpis.coverage],
            ["Observations", overview.kpis.rows],
          ] as const) {
            if (value === null) expect(cell(label), `${label} ${where}`).toBeNull();
            else close(cell(label), value, `KPI export ${label} ${where}`);
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});

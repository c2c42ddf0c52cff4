// The overview's chart reads against plain SQL over the raw rows, on generated messy data (fixed
// seed): two tenants reusing the same site / cluster / zone ids (one asset without a zone), per
// tenant a dataset, in tenant a a second dataset overlapping part of one zone with other readings,
// and MASS readings both inside the CSV coverage (they lose the hour) and after it (they count);
// cooling setpoints that change at random slots. Then per scope (one tenant, both, a site, a
// cluster, a zone) and period (minute resolution: partial hours and days occur):
// - the rack-inlet heatmap (lib/kpi/heatmap.ts) equals, cell by cell, the mean, highest and count of
//   the p95 readings per tenant, zone and bucket of the raw rows whose source wins their asset-hour
//   (the latest upload, datasets above MASS: README "One value per series and interval");
// - the annotations (lib/kpi/annotations.ts) are exactly the setpoint changes of the raw rows (a
//   row whose setpoint differs from its series' previous one), the dataset versions loaded and the
//   recommendations marked implemented (tenant b's, at site mad1) in the period, in the scope's
//   tenants and assets only.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mulberry32 } from "@/lib/seeded-random";
import { baseUrl, call, freshIp, userWithRole } from "../support/http";
import { demoRecommendation } from "../support/verification";

const STEP = 900_000;
const D0 = Date.parse("2026-04-06T00:00:00Z");

type Asset = { site: string; cluster: string | null; zone: string | null };
const ASSETS: Asset[] = [
  { site: "s1", cluster: "c1", zone: "z1" },
  { site: "s1", cluster: "c1", zone: "z2" },
  { site: "s1", cluster: "c2", zone: null },
  { site: "s2", cluster: "c1", zone: "z1" },
];
type Reading = { asset: Asset; start: number; p95: number; setpoint: number };

const HEADER =
  "timestamp_utc,site_id,cluster_id,zone_id,interval_seconds,it_load_kw,facility_power_kw,p95_rack_inlet_c,cooling_setpoint_c";

describe("chart reads: heatmap and annotations against plain SQL", () => {
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  let heatmap: typeof import("@/lib/kpi/heatmap");
  let marks: typeof import("@/lib/kpi/annotations");
  let prisma: typeof import("@/lib/db").db;
  const run = `${Date.now().toString(36)}`;
  const tenants = { a: `charts-${run}-a`, b: `charts-${run}-b` };

  beforeAll(async () => {
    await db.connect();
    process.env.DATABASE_URL = inject("databaseUrl");
    heatmap = await import("@/lib/kpi/heatmap");
    marks = await import("@/lib/kpi/annotations");
    ({ db: prisma } = await import("@/lib/db"));
    const random = mulberry32(20261207);
    const { token } = await userWithRole("analyst", [tenants.a, tenants.b]);
    // Per site, the slots where its setpoint moves (messy: not on hours).
    const setpointAt = (site: string, slot: number) => {
      const changes = site === "s1" ? [37, 150] : [201];
      return 22 + changes.filter((c) => slot >= c).length;
    };
    const reading = (asset: Asset, slot: number, shift = 0): Reading => ({
      asset,
      start: D0 + slot * STEP,
      p95: Math.round((21 + random() * 8 + shift) * 100) / 100,
      setpoint: setpointAt(asset.site, slot),
    });
    const upload = async (tenant: string, name: string, rows: Reading[]) => {
      const lines = rows.map(
        (r) =>
          `${new Date(r.start).toISOString()},${r.asset.site},${r.asset.cluster ?? ""},${r.asset.zone ?? ""},900,100,140,${r.p95},${r.setpoint}`,
      );
      const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name, tenant_id: tenant })}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
        body: `${[HEADER, ...lines].join("\n")}\n`,
      });
      expect(res.status, await res.clone().text()).toBe(201);
    };
    const slots = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    // Tenant a: the feed over slots [0, 220) (one asset with a gap), a copy of zone z1's slots
    // [97, 133) with other readings, MASS readings inside (110–113) and after (230–241) the CSV.
    await upload(
      tenants.a,
      "feed",
      ASSETS.flatMap((asset, i) =>
        slots(0, 220)
          .filter((s) => i !== 1 || s < 60 || s >= 90)
          .map((s) => reading(asset, s)),
      ),
    );
    await upload(
      tenants.b,
      "feed",
      [ASSETS[0]!, ASSETS[2]!].flatMap((asset) => slots(10, 250).map((s) => reading(asset, s, -3))),
    );
    await upload(
      tenants.a,
      "feed (copy)",
      slots(97, 133).map((s) => reading(ASSETS[0]!, s, 2)),
    );
    for (const s of [...slots(110, 114), ...slots(230, 242)]) {
      const r = reading(ASSETS[0]!, s, 1);
      const res = await call("/api/v1/mass", {
        token,
        headers: { "Idempotency-Key": `${run}-${s}` },
        body: {
          payload: {
            tenant_id: tenants.a,
            site_id: "s1",
            cluster_id: "c1",
            zone_id: "z1",
            timestamp_utc: new Date(r.start).toISOString(),
            interval_seconds: 900,
            it_load_kw: 100,
            facility_power_kw: 140,
            p95_rack_inlet_c: r.p95,
            cooling_setpoint_c: r.setpoint,
          },
        },
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    // Tenant b: the demo's setpoint recommendation (site mad1), marked implemented within the data's days.
    const rec = await demoRecommendation(token, tenants.b);
    const implemented = await call(`/api/v1/recommendations/${rec.id}/implementation`, {
      token,
      body: { outcome: "implemented", effective_at: "2026-04-07T12:00:00Z", applied_value: 24 },
    });
    expect(implemented.status, await implemented.clone().text()).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await db.end();
    await prisma?.().$disconnect();
  });

  type Filter = { tenants: string[]; site?: string; cluster?: string; zone?: string };
  // The rows each asset-hour keeps: its highest-ranked source's (latest ready version of each
  // dataset, ranked by load time; MASS lowest), in the filter's tenants and assets.
  const winners = (f: Filter) => `
    with live as (
      select o.*, coalesce(to_char(v.created_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS') || v.id::text, '0') as rank
        from observation o
        left join dataset_version v on v.id = o.dataset_version_id
       where o.tenant_id = any($1)
         and (o.dataset_version_id is null
              or o.dataset_version_id in (select distinct on (dataset_id) id from dataset_version where state = 'ready' order by dataset_id, version desc))
         ${f.site ? `and o.site_id = '${f.site}'` : ""} ${f.cluster ? `and o.cluster_id = '${f.cluster}'` : ""} ${f.zone ? `and o.zone_id = '${f.zone}'` : ""}),
    ranked as (
      select l.*, max(rank) over (partition by tenant_id, site_id, facility_id, cluster_id, zone_id,
                                  date_trunc('hour', interval_start at time zone 'UTC')) as top
        from live l)
    select * from ranked where rank = top`;

  const scopeOf = (f: Filter) => ({
    tenantIds: f.tenants,
    source: "all" as const,
    ...(f.site ? { siteId: f.site } : {}),
    ...(f.cluster ? { clusterId: f.cluster } : {}),
    ...(f.zone ? { zoneId: f.zone } : {}),
  });

  const cases: { f: Filter; from: string; to: string }[] = [
    { f: { tenants: [] }, from: "2026-04-06T00:00", to: "2026-04-09T00:00" },
    { f: { tenants: ["a"] }, from: "2026-04-06T03:07", to: "2026-04-08T21:53" },
    { f: { tenants: ["a"], zone: "z1" }, from: "2026-04-07T00:00", to: "2026-04-08T00:00" },
    { f: { tenants: ["a", "b"] }, from: "2026-04-06T10:31", to: "2026-04-07T09:14" },
    { f: { tenants: ["a"], site: "s1", cluster: "c1" }, from: "2026-04-06T00:00", to: "2026-04-13T00:00" },
    { f: { tenants: ["b"] }, from: "2026-04-05T22:00", to: "2026-04-09T00:00" },
    { f: { tenants: ["b"], site: "s1" }, from: "2026-04-07T00:00", to: "2026-04-08T00:00" },
  ];
  const resolve = (f: Filter) => ({
    ...f,
    tenants: f.tenants.length === 0 ? [tenants.a] : f.tenants.map((t) => tenants[t as "a" | "b"]),
  });

  it("heatmap cells equal the winning raw rows' p95 mean, highest and count per tenant, zone and bucket", async () => {
    for (const c of cases) {
      const f = resolve(c.f);
      const period = { from: new Date(`${c.from}Z`), to: new Date(`${c.to}Z`) };
      const got = await heatmap.inletHeatmap(scopeOf(f), period);
      const { stepSeconds, starts } = heatmap.heatmapBuckets(period);
      expect(got.stepSeconds).toBe(stepSeconds);
      const { rows } = await db.query<{
        tenant_id: string;
        zone: string;
        bucket: Date;
        mean: number;
        max: number;
        n: number;
      }>(
        `select tenant_id, concat_ws(' / ', site_id, coalesce(zone_id, cluster_id)) as zone,
                date_bin(make_interval(secs => $4), interval_start, $5::timestamptz) as bucket,
                avg(p95_rack_inlet_c)::float8 as mean, max(p95_rack_inlet_c)::float8 as max, count(*)::int as n
           from (${winners(f)}) w
          where interval_start >= $2 and interval_start < $3 and p95_rack_inlet_c is not null
          group by 1, 2, 3 order by 1, 2, 3`,
        [f.tenants, period.from, period.to, stepSeconds, starts[0]],
      );
      expect(rows.length, JSON.stringify(c)).toBeGreaterThan(0);
      const cells = got.zones.flatMap((z) =>
        z.cells.flatMap((cell, i) =>
          cell ? [{ tenant_id: z.tenant, zone: z.zone, bucket: got.buckets[i]!, ...cell }] : [],
        ),
      );
      // Rows by tenant, zone and bucket (the heatmap orders its zones by name, the SQL by tenant).
      const key = (tenant: string, zone: string, bucket: string) => `${tenant} ${zone} ${bucket}`;
      const want = new Map(rows.map((r) => [key(r.tenant_id, r.zone, r.bucket.toISOString()), r]));
      expect(cells.map((x) => key(x.tenant_id, x.zone, x.bucket)).sort(), JSON.stringify(c)).toEqual(
        [...want.keys()].sort(),
      );
      for (const x of cells) {
        const r = want.get(key(x.tenant_id, x.zone, x.bucket))!;
        expect(x.readings).toBe(r.n);
        expect(x.mean).toBeCloseTo(r.mean, 9);
        expect(x.max).toBe(r.max);
      }
      expect(got.zoneCount).toBe(new Set(rows.map((r) => `${r.tenant_id} ${r.zone}`)).size);
    }
  });

  it("annotations are the raw rows' setpoint changes, the datasets loaded and the recommendations implemented in the period, in scope", async () => {
    const now = Date.now();
    for (const c of [
      ...cases,
      { f: { tenants: ["a"] }, from: "2026-04-06T00:00", to: new Date(now + 3_600_000).toISOString().slice(0, 16) },
    ]) {
      const f = resolve(c.f);
      const period = { from: new Date(`${c.from}Z`), to: new Date(`${c.to}Z`) };
      const got = await marks.annotations(scopeOf(f), period);
      const { rows: changes } = await db.query<{
        at: Date;
        tenant_id: string;
        site_id: string;
        from: number;
        to: number;
      }>(
        `select at, tenant_id, site_id, min(previous)::float8 as from, min(cooling_setpoint_c)::float8 as to
           from (select o.interval_start as at, o.tenant_id, o.site_id, o.cooling_setpoint_c,
                        lag(o.cooling_setpoint_c) over (partition by o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.dataset_version_id
                                                        order by o.interval_start, o.id) as previous
                   from observation o
                  where o.tenant_id = any($1) and o.cooling_setpoint_c is not null
                    and (o.dataset_version_id is null
                         or o.dataset_version_id in (select distinct on (dataset_id) id from dataset_version where state = 'ready' order by dataset_id, version desc))
                    ${f.site ? `and o.site_id = '${f.site}'` : ""} ${f.cluster ? `and o.cluster_id = '${f.cluster}'` : ""} ${f.zone ? `and o.zone_id = '${f.zone}'` : ""}) s
          where previous <> cooling_setpoint_c and at >= $2 and at < $3
          group by 1, 2, 3`,
        [f.tenants, period.from, period.to],
      );
      const { rows: loads } = await db.query<{ at: Date; tenant_id: string; name: string; version: number }>(
        `select v.created_at as at, d.tenant_id, d.name, v.version from dataset_version v join dataset d on d.id = v.dataset_id
          where d.tenant_id = any($1) and v.state = 'ready' and v.created_at >= $2 and v.created_at < $3`,
        [f.tenants, period.from, period.to],
      );
      const { rows: done } = await db.query<{
        at: Date;
        tenant_id: string;
        site_id: string | null;
        category: string;
        rec_id: string;
        applied_value: number | null;
      }>(
        `select i.effective_at as at, i.tenant_id, i.site_id, r.category, r.rec_id, i.applied_value
           from recommendation_implementation i join recommendation r on r.id = i.recommendation_id
          where i.tenant_id = any($1) and i.outcome = 'implemented' and i.effective_at >= $2 and i.effective_at < $3
            and ($4::text is null or i.site_id = $4) and ($5::text is null or i.cluster_id is null or i.cluster_id = $5)
            and ($6::text is null or i.zone_id is null or i.zone_id = $6)`,
        [f.tenants, period.from, period.to, f.site ?? null, f.cluster ?? null, f.zone ?? null],
      );
      const suffix = (t: string) => (f.tenants.length === 1 ? "" : ` (${t})`);
      const want = [
        ...changes.map(
          (r) => `${r.at.toISOString()} setpoint ${r.site_id}: setpoint ${r.from} → ${r.to} °C${suffix(r.tenant_id)}`,
        ),
        ...loads.map((r) => `${r.at.toISOString()} dataset Loaded ${r.name} v${r.version}${suffix(r.tenant_id)}`),
        ...done.map(
          (r) =>
            `${r.at.toISOString()} recommendation Implemented ${r.category} ${r.rec_id}${r.site_id ? ` at ${r.site_id}` : ""}${r.applied_value === null ? "" : ` (${r.applied_value})`}${suffix(r.tenant_id)}`,
        ),
      ].sort();
      expect(got.map((a) => `${a.at} ${a.kind} ${a.label}`).sort(), JSON.stringify(c)).toEqual(want);
      // Oldest first.
      expect(got.map((a) => a.at)).toEqual([...got.map((a) => a.at)].sort());
    }
    // The data holds changes and the last case the loads: the checks compared something.
    const all = await marks.annotations(scopeOf(resolve({ tenants: ["a"] })), {
      from: new Date(D0),
      to: new Date(now + 3_600_000),
    });
    expect(all.filter((a) => a.kind === "setpoint").length).toBeGreaterThanOrEqual(3);
    expect(all.filter((a) => a.kind === "dataset").map((a) => a.label)).toEqual([
      "Loaded feed v1",
      "Loaded feed (copy) v1",
    ]);
    // Tenant b's implemented recommendation: marked for b (and for a and b together), never for a.
    const ofB = await marks.annotations(scopeOf(resolve({ tenants: ["b"] })), {
      from: new Date(D0),
      to: new Date(D0 + 3 * 86_400_000),
    });
    expect(ofB.filter((a) => a.kind === "recommendation").map((a) => a.at)).toEqual(["2026-04-07T12:00:00.000Z"]);
    expect(all.some((a) => a.kind === "recommendation")).toBe(false);
  });
});

// Monthly partitions of `observation` against the table they replaced, at BENCH_PARTITION_ROWS
// rows (default 10 M) on one PostgreSQL: the migrated, partitioned `observation`, and beside it
// `observation_flat`, the layout before the migration (one table, primary key on id, the same four
// indexes). Both get the same rows (24 months, 40 series of 1-minute readings spread over them),
// then, for each layout: the bulk load, single-reading inserts (as MASS ingest writes them, one
// transaction each), 1,000-row multi-row inserts (a batch), the raw reads the dashboard makes for
// one site (one month, one year), and retention: dropping the oldest month (a partition, through
// drop_observation_months_before) against deleting its rows. `npm run bench -- partitions`.
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import pg from "pg";
import { ADMIN_URL, admin, percentile } from "./support";
import { migrateDatabase } from "@/lib/db/migrate/run-migrate";

const ROWS = Number(process.env.BENCH_PARTITION_ROWS ?? 10_000_000);
const MONTHS = 24;
const SERIES = 40; // 4 tenants × 10 sites
const FIRST = Date.UTC(2024, 0, 1);
const SINGLE_INSERTS = Number(process.env.BENCH_SINGLE_INSERTS ?? 2_000);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 20);

const COLUMNS =
  "tenant_id, site_id, cluster_id, zone_id, interval_start, interval_end, interval_seconds, it_load_kw, facility_power_kw, outdoor_temp_c, avg_rack_inlet_c";

/** n rows as one INSERT … SELECT over generate_series (no client transfer): series i % 40, minutes spread over 24 months. */
function generated(table: string, n: number, offset: number): string {
  const minutes = MONTHS * 30 * 24 * 60;
  return `insert into ${table} (${COLUMNS})
    select 'tenant-' || (g % 4), 'site-' || (g % ${SERIES}), 'c1', 'z1',
           to_timestamp(${FIRST / 1000}) + make_interval(mins => ((g / ${SERIES}) * ${Math.max(1, Math.floor((minutes * SERIES) / ROWS))}) % ${minutes}),
           to_timestamp(${FIRST / 1000}) + make_interval(mins => ((g / ${SERIES}) * ${Math.max(1, Math.floor((minutes * SERIES) / ROWS))}) % ${minutes} + 1),
           60, 800 + (g % 97), 1100 + (g % 89), 12 + (g % 17), 22 + (g % 5) * 0.5
      from generate_series(${offset}, ${offset + n - 1}) g`;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await work();
  return [out, performance.now() - t];
}

async function main(): Promise<void> {
  const name = `pib_bench_${randomBytes(4).toString("hex")}`;
  await admin(`create database "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const c = new pg.Client({ connectionString: url.toString() });
  const lines: string[] = [];
  const out = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  try {
    await migrateDatabase(url.toString(), { log: () => {} });
    await c.connect();
    await c.query("set jit = off");
    // The layout before the migration: one table, the same columns, primary key on id, its four indexes.
    await c.query(`create table observation_flat (like observation including defaults)`);
    await c.query(`alter table observation_flat add primary key (id)`);
    await c.query(`create index on observation_flat (tenant_id, site_id, interval_start)`);
    await c.query(`create index on observation_flat (mass_request_id) where mass_request_id is not null`);
    await c.query(`create index on observation_flat (dataset_version_id, interval_start)`);
    await c.query(
      `create index on observation_flat (tenant_id, site_id, interval_start) where dataset_version_id is null and mass_request_id is not null and deleted_at is null and superseded_at is null`,
    );
    // Its foreign key and triggers, as the table had them (the row trigger runs on every DELETE).
    await c.query(`alter table observation_flat add foreign key (mass_request_id) references mass_request (id)`);
    await c.query(
      `create trigger flat_immutable before update or delete on observation_flat for each row execute function observation_dataset_immutable()`,
    );
    await c.query(
      `create trigger flat_version_insert after insert on observation_flat referencing new table as written for each statement execute function observation_dataset_version_exists()`,
    );
    const last = new Date(Date.UTC(2024, MONTHS, 1));
    await c.query("select ensure_observation_months($1, $2)", [
      new Date(FIRST),
      new Date(last.getTime() + 31 * 86_400_000),
    ]);
    out(
      `rows ${ROWS.toLocaleString("en")}, ${MONTHS} months, ${SERIES} series; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    out("");
    out("| measure | partitioned (now) | one table (before) |");
    out("|---|---:|---:|");

    const CHUNK = 1_000_000;
    const load = async (table: string) => {
      const [, ms] = await timed(async () => {
        for (let off = 0; off < ROWS; off += CHUNK) await c.query(generated(table, Math.min(CHUNK, ROWS - off), off));
      });
      await c.query(`analyze ${table}`);
      return ms;
    };
    const loadP = await load("observation");
    const loadF = await load("observation_flat");
    out(
      `| bulk load (INSERT … SELECT, 1 M rows a statement) | ${Math.round(ROWS / (loadP / 1000)).toLocaleString("en")} rows/s | ${Math.round(ROWS / (loadF / 1000)).toLocaleString("en")} rows/s |`,
    );
    const size = async (rel: string) => (await c.query<{ s: string }>(`select pg_size_pretty(${rel}) as s`)).rows[0]!.s;
    out(
      `| table + indexes on disk | ${await size("(select sum(pg_total_relation_size(i.inhrelid)) from pg_inherits i where i.inhparent = 'observation'::regclass)")} | ${await size("pg_total_relation_size('observation_flat')")} |`,
    );

    // Single-reading inserts into the latest month, one transaction each (MASS ingest's shape).
    const singles = async (table: string) => {
      const lat: number[] = [];
      for (let i = 0; i < SINGLE_INSERTS; i++) {
        const at = new Date(last.getTime() - 86_400_000 + i * 60_000);
        const t = performance.now();
        await c.query("begin");
        await c.query(
          `insert into ${table} (${COLUMNS}) values ('tenant-1', 'site-1', 'c1', 'z1', $1, $1::timestamptz + interval '1 minute', 60, 900, 1200, 15, 23)`,
          [at],
        );
        await c.query("commit");
        lat.push(performance.now() - t);
      }
      lat.sort((a, b) => a - b);
      return lat;
    };
    const sP = await singles("observation");
    const sF = await singles("observation_flat");
    out(
      `| single-reading insert, one transaction each (p50 / p99 ms) | ${percentile(sP, 0.5).toFixed(2)} / ${percentile(sP, 0.99).toFixed(2)} | ${percentile(sF, 0.5).toFixed(2)} / ${percentile(sF, 0.99).toFixed(2)} |`,
    );

    // 1,000-row multi-row inserts (a MASS batch's observations).
    const batches = async (table: string) => {
      const [, ms] = await timed(async () => {
        for (let b = 0; b < BATCHES; b++) {
          const values: string[] = [];
          const params: unknown[] = [];
          for (let i = 0; i < 1_000; i++) {
            params.push(new Date(last.getTime() - 2 * 86_400_000 + (b * 1_000 + i) * 1_000));
            values.push(
              `('tenant-2', 'site-2', 'c1', 'z1', $${params.length}::timestamptz, $${params.length}::timestamptz + interval '1 minute', 60, 900, 1200, 15, 23)`,
            );
          }
          await c.query(`insert into ${table} (${COLUMNS}) values ${values.join(", ")}`, params);
        }
      });
      return Math.round((BATCHES * 1_000) / (ms / 1000));
    };
    out(
      `| 1,000-row multi-row inserts | ${(await batches("observation")).toLocaleString("en")} rows/s | ${(await batches("observation_flat")).toLocaleString("en")} rows/s |`,
    );

    // The dashboard's raw reads for one site: hourly sums over one month and over a year (median of 5, warm).
    const read = async (table: string, from: Date, to: Date) => {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const [, ms] = await timed(() =>
          c.query(
            `select date_trunc('hour', interval_start) h, sum(it_load_kw), max(avg_rack_inlet_c) from ${table} where tenant_id = 'tenant-3' and site_id = 'site-3' and interval_start >= $1 and interval_start < $2 group by 1`,
            [from, to],
          ),
        );
        if (i > 0) times.push(ms);
      }
      times.sort((a, b) => a - b);
      return times[2]!;
    };
    const month = [new Date(Date.UTC(2025, 5, 1)), new Date(Date.UTC(2025, 6, 1))] as const;
    const year = [new Date(Date.UTC(2024, 6, 1)), new Date(Date.UTC(2025, 6, 1))] as const;
    out(
      `| one site, one month, hourly (ms, median of 5 warm) | ${(await read("observation", ...month)).toFixed(1)} | ${(await read("observation_flat", ...month)).toFixed(1)} |`,
    );
    out(
      `| one site, one year, hourly (ms) | ${(await read("observation", ...year)).toFixed(1)} | ${(await read("observation_flat", ...year)).toFixed(1)} |`,
    );

    // Retention: the oldest month, dropped as a partition or deleted row by row.
    const cutoff = new Date(Date.UTC(2024, 1, 1));
    const [dropped, dropMs] = await timed(() =>
      c.query<{ row_count: string }>("select row_count from drop_observation_months_before($1)", [cutoff]),
    );
    const [deleted, deleteMs] = await timed(() =>
      c.query("delete from observation_flat where interval_start < $1", [cutoff]),
    );
    out(
      `| retention: the oldest month (${Number(dropped.rows[0]?.row_count ?? 0).toLocaleString("en")} / ${(deleted.rowCount ?? 0).toLocaleString("en")} rows) | ${dropMs.toFixed(0)} ms (DROP of its partition; space freed at once) | ${deleteMs.toFixed(0)} ms (DELETE; space freed only after VACUUM) |`,
    );
    out("");
    out(
      `load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
  } finally {
    await c.end().catch(() => undefined);
    await admin(`drop database if exists "${name}" with (force)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

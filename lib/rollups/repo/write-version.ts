// Writing a CSV version's rollups inside the transaction that loads it: the rows the loader's
// accumulator emitted, by COPY; or, when a series arrived out of time order, a rebuild in SQL
// from the version's stored observations (slower: it aggregates every row again).
import "server-only";
import { once } from "node:events";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { DAY_COPY_COLUMNS, HOUR_COPY_COLUMNS, insertDaySql, insertHourSql, LEVEL_TABLE } from "../measures";

/** Lines the accumulator emitted and the loader has not written yet. */
export class PendingRollups {
  hour: string[] = [];
  day: string[] = [];
  chars = 0;

  push(level: "hour" | "day", line: string): void {
    this[level].push(line);
    this.chars += line.length;
  }

  /** COPYs the pending lines into the rollup tables (no other COPY may be open on `client`). */
  async write(client: pg.PoolClient): Promise<void> {
    await copyLines(client, `copy ${LEVEL_TABLE.hour} (${HOUR_COPY_COLUMNS.join(", ")}) from stdin`, this.hour);
    await copyLines(client, `copy ${LEVEL_TABLE.day} (${DAY_COPY_COLUMNS.join(", ")}) from stdin`, this.day);
    this.hour = [];
    this.day = [];
    this.chars = 0;
  }
}

async function copyLines(client: pg.PoolClient, sql: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const copy = client.query(copyFrom(sql));
  const done = once(copy, "finish");
  let chunk = "";
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= 1 << 16) {
      if (!copy.write(chunk)) await once(copy, "drain");
      chunk = "";
    }
  }
  copy.end(chunk);
  await done;
}

/** Replaces whatever rollups the version has with ones aggregated in SQL from its rows. */
export async function rebuildVersionRollups(client: pg.PoolClient, versionId: string): Promise<void> {
  await client.query(`delete from ${LEVEL_TABLE.hour} where dataset_version_id = $1`, [versionId]);
  await client.query(`delete from ${LEVEL_TABLE.day} where dataset_version_id = $1`, [versionId]);
  await client.query(insertHourSql("o.dataset_version_id = $1"), [versionId]);
  await client.query(insertDaySql("r.dataset_version_id = $1", "o.dataset_version_id = $1"), [versionId]);
}

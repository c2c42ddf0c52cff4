// A full disk under ingest load: the scenario's own PostgreSQL keeps its whole data directory on a
// small tmpfs, which the scenario fills; then it frees the space. Needs root (mount); skipped
// otherwise. Clients must get 503 with Retry-After (never a 500, never a hang) while the disk is
// full, and after the space is freed every request answered 201 is stored, once.
import { execFileSync } from "node:child_process";
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countByStatus, formatCounts, isRetryable503, statusLabel } from "./http-client";
import { apiToken, Ingestor, keepAlive, sleep } from "./load";
import { ADMIN_EMAIL, freePort, serverEnv, sql, startCluster, startServer } from "./processes";
import { check, type Check, type ScenarioResult } from "./report";

export type DiskFullOptions = { fullForSeconds: number; clients: number; sizeMb: number; log?: (line: string) => void };

const PASSWORD = "Reliability-disk-full-1";

/** Fills the filesystem of `path` to the last byte; returns the filler's size in MB. */
function fill(path: string): number {
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(1024 * 1024);
  let mb = 0;
  try {
    for (;;) {
      writeSync(fd, chunk);
      mb++;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
    // The last partial chunk: fill the remainder byte-wise in smaller pieces.
    for (let size = 64 * 1024; size >= 1; size = Math.floor(size / 2)) {
      try {
        for (;;) writeSync(fd, chunk.subarray(0, size));
      } catch {
        // next, smaller size
      }
    }
  } finally {
    closeSync(fd);
  }
  return mb;
}

export async function runDiskFull(o: DiskFullOptions): Promise<ScenarioResult> {
  const log = o.log ?? (() => undefined);
  const checks: Check[] = [];
  const figures: [string, string][] = [];
  const scenario = "Full disk (data directory on a small tmpfs)";
  const root = mkdtempSync(join(tmpdir(), "pib-diskfull-"));
  chmodSync(root, 0o755); // PostgreSQL runs as "postgres" under root and must enter it
  const fs = join(root, "fs");
  mkdirSync(fs);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${o.sizeMb}m,mode=0755`, "tmpfs", fs], { stdio: "pipe" });
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return {
      scenario,
      checks: [],
      figures: [["skipped", `cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): ${why}`]],
    };
  }
  const filler = join(fs, "filler");
  try {
    const cluster = await startCluster(fs);
    try {
      await sql(cluster.url("postgres"), "create database pilot");
      const port = await freePort();
      const server = await startServer(
        serverEnv(port, { DATABASE_URL: cluster.url("pilot"), ADMIN_PASSWORD: PASSWORD, BIOCORE_WORKER: "false" }),
      );
      try {
        const token = await apiToken(server.baseUrl, ADMIN_EMAIL, PASSWORD);
        const ingest = new Ingestor(server.baseUrl, token, keepAlive(o.clients));
        for (let i = 0; i < 10; i++) await ingest.unique();
        const before = ingest.records.length;
        log("filling the disk");
        const mb = fill(filler);
        const fullAt = Date.now();
        const end = fullAt + o.fullForSeconds * 1000;
        await Promise.all(
          Array.from({ length: o.clients }, async () => {
            while (Date.now() < end) if ((await ingest.unique()).answer.status !== 201) await sleep(250);
          }),
        );
        const whileFull = ingest.records.slice(before);
        const alive = await sql(cluster.url("pilot"), "select 1").then(
          () => true,
          () => false,
        );
        log("freeing the disk");
        unlinkSync(filler);
        const freedAt = Date.now();
        // A PANIC on a WAL write ends the whole cluster; then the operator starts it again.
        let restarted = false;
        await sleep(2_000);
        if (
          !(await sql(cluster.url("pilot"), "select 1").then(
            () => true,
            () => false,
          ))
        ) {
          log("the database did not survive: starting it again");
          await cluster.restartAfterCrash();
          restarted = true;
        }
        const retried = await ingest.retryUntilAccepted(ingest.unansweredKeys(), 8, 60_000);
        const firstOk = retried
          .filter((r) => r.answer.status === 201)
          .map((r) => r.answer.startedAt + r.answer.ms)
          .sort((a, b) => a - b)[0];
        const bad = whileFull.filter((r) => r.answer.status !== 201 && !isRetryable503(r.answer));
        figures.push(
          ["filesystem", `tmpfs of ${o.sizeMb} MB holding the whole data directory; filled with ${mb} MB`],
          [
            "answers while the disk was full",
            `${formatCounts(countByStatus(whileFull.map((r) => r.answer)))} (${o.clients} clients, ${o.fullForSeconds} s)`,
          ],
          ["database while full", alive ? "still answering" : "gone (PANIC)"],
          [
            "after freeing the space",
            `${restarted ? "database started again by the scenario; " : "no database restart needed; "}first 201 ${firstOk ? `${((firstOk - freedAt) / 1000).toFixed(1)} s after` : "never"}`,
          ],
        );
        check(
          checks,
          "while the disk is full: every failure is a 503 problem+json with Retry-After (no 500, no hang)",
          bad.length === 0,
          bad
            .slice(0, 3)
            .map((r) => `${statusLabel(r.answer)} ${r.answer.body.slice(0, 120)}`)
            .join(" | "),
        );
        check(
          checks,
          "requests not accepted succeed when retried after the space is freed",
          retried.every((r) => r.answer.status === 201),
          `${retried.length} retried: ${formatCounts(countByStatus(retried.map((r) => r.answer)))}`,
        );
        const accepted = ingest.acceptedKeys();
        const rows = await sql<{ key: string; n: number }>(
          cluster.url("pilot"),
          "select idempotency_key as key, count(*)::int as n from mass_request group by 1",
        );
        const missing = [...accepted].filter((k) => !rows.some((r) => r.key === k));
        check(
          checks,
          "every request answered 201 is stored, once",
          missing.length === 0 && rows.every((r) => r.n === 1) && rows.length === accepted.size,
          `${accepted.size} answered 201, ${rows.length} stored, ${missing.length} missing`,
        );
        const [audit] = await sql<{ n: number }>(
          cluster.url("pilot"),
          "select count(*)::int as n from audit_event where action = 'mass.ingest'",
        );
        check(
          checks,
          "one mass.ingest audit event per stored request",
          audit!.n === rows.length,
          `${audit!.n} events, ${rows.length} requests`,
        );
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(filler, { force: true });
      if (cluster.running()) await cluster.stop();
    }
  } finally {
    try {
      execFileSync("umount", [fs], { stdio: "pipe" });
    } catch {
      // still busy: leave it for the operator rather than fail the report
    }
    rmSync(root, { recursive: true, force: true });
  }
  return { scenario, checks, figures };
}

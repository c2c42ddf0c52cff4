// `npm start`: the whole product in one command. Builds when the build is missing or stale,
// brings up the database (embedded when DATABASE_URL is unset), migrates, creates the first
// admin, serves on PORT, runs the background loops (recommendation worker, verification pass,
// audit sealer) in a process of their own at a lower CPU priority (scripts/worker.ts; WORKER_MODE=
// inline keeps them in the server process), and on Ctrl-C/SIGTERM drains requests, lets the worker
// hand back its jobs, and stops everything it started.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { detachEmbeddedSignalHandlers } from "@/lib/db/embedded";
import { buildIsCurrent, writeBuildStamp } from "./build-stamp";
import { join } from "node:path";
import { bootstrap, dataDir, loadDotEnv, provideAuditKey, provideDatabase } from "./run-bootstrap";

const log = (line: string): void => console.log(`[pilot] ${line}`);

async function main(): Promise<void> {
  loadDotEnv();
  (process.env as Record<string, string>).NODE_ENV = "production";
  const port = Number(process.env.PORT ?? 3000);
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  if (!process.env.AUTH_SECRET) {
    log("AUTH_SECRET is not set: using an ephemeral random secret (sessions end on restart). Set it in .env.");
    process.env.AUTH_SECRET = (await import("node:crypto")).randomBytes(48).toString("base64url");
  }

  // The audit chain's key and where its anchors go: persisted in the data directory, outside the database.
  provideAuditKey(log, { create: true });
  process.env.AUDIT_ANCHOR_FILE ??= join(dataDir(), "audit-anchors.jsonl");

  if (!buildIsCurrent()) {
    log("building the app (first start or sources changed)…");
    const build = spawnSync("npx", ["--no-install", "next", "build"], { stdio: "inherit", env: process.env });
    if (build.status !== 0) throw new Error("next build failed");
    writeBuildStamp();
  }

  const embedded = await provideDatabase(log);
  let child: ChildProcess | null = null;
  let worker: ChildProcess | null = null;
  let stopping = false;
  const running = (c: ChildProcess | null): c is ChildProcess =>
    c !== null && c.exitCode === null && c.signalCode === null;
  const stopChild = (c: ChildProcess | null): Promise<unknown> => {
    if (!running(c)) return Promise.resolve();
    const exited = new Promise((resolve) => c.once("exit", resolve));
    c.kill("SIGTERM");
    return exited;
  };
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      if (running(child) || running(worker)) {
        log("stopping: finishing in-flight requests and handing back claimed jobs…");
        // Both at once: the server drains while the worker hands back what it claimed.
        await Promise.all([stopChild(child), stopChild(worker)]);
      }
      if (embedded) {
        await embedded.stop();
        log("embedded PostgreSQL stopped");
      }
    }
    process.exit(code);
  };
  // Ours stops the embedded database only after the server has drained.
  detachEmbeddedSignalHandlers();
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGHUP", () => void stop(0));
  // If whatever started us dies without a signal reaching us, shut down rather than linger.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop(0);
  }, 1000).unref();

  try {
    await bootstrap(log, { demo: true });
  } catch (error) {
    console.error(`[pilot] start failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }

  // The background loops in their own process unless WORKER_MODE=inline says otherwise.
  const separateWorker = (process.env.WORKER_MODE ?? "process") === "process";
  // The server gets the runtime role's URL only: the owner's stays with migrations.
  const serverEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    WORKER_MODE: separateWorker ? "process" : "inline",
  };
  delete serverEnv.DATABASE_MIGRATION_URL;
  child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: serverEnv,
  });
  // The worker starts once the server listens, so the two start-ups do not compete for the CPU; it
  // needs nothing from the server (without BIOCORE_URL it serves the reference engine itself, on a
  // loopback port of its own). It exits on its own only by crashing; then it is started again.
  let restarts = 0;
  const startWorker = (): void => {
    if (stopping) return;
    const w = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      env: serverEnv,
    });
    worker = w;
    w.on("message", (m: { type?: string }) => {
      if (m.type === "worker-ready") log(`background worker running (pid ${w.pid})`);
    });
    w.on("exit", (code, signal) => {
      if (stopping) return;
      restarts += 1;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(restarts - 1, 5));
      log(`background worker exited (${signal ?? `code ${code}`}); starting it again in ${delay / 1000} s`);
      setTimeout(startWorker, delay).unref();
    });
  };
  child.on("message", (m: { type?: string }) => {
    if (m.type !== "listening") return;
    log(`ready: http://localhost:${port}`);
    if (separateWorker) startWorker();
  });
  child.on("exit", (code) => {
    if (!stopping) void stop(code ?? 1);
  });
}

main().catch((error: unknown) => {
  console.error(`[pilot] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

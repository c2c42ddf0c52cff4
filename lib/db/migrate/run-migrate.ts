// Runs the migration step in a child process: the wasm engine costs 60–90 MB and leaves a timer
// alive for ~10 s, neither of which belongs in the server process.
import { spawn } from "node:child_process";

/**
 * Migrates as `databaseUrl` (the owner of the tables); with `runtimeUrl` naming another role, then
 * grants that role its runtime privileges (lib/db/roles.ts).
 */
export function migrateDatabase(
  databaseUrl: string,
  options: { migrationsDir?: string; log?: (line: string) => void; runtimeUrl?: string } = {},
): Promise<void> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/migrate.ts", "deploy"], {
      env: {
        ...process.env,
        DATABASE_MIGRATION_URL: databaseUrl,
        DATABASE_URL: options.runtimeUrl ?? databaseUrl,
        ...(options.migrationsDir ? { MIGRATIONS_DIR: options.migrationsDir } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        lines.push(line);
        log(line);
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(lines.filter((l) => l.startsWith("[migrate]")).pop() ?? `migration failed with exit code ${code}`),
        );
    });
  });
}

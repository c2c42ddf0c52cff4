// Generates the Prisma client offline. The Prisma CLI first tries to download its native schema
// engine, which generation never uses and which is unreachable here: point it at a placeholder.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

const placeholder = join(tmpdir(), "pib-no-schema-engine");
if (!existsSync(placeholder)) {
  mkdirSync(tmpdir(), { recursive: true });
  writeFileSync(placeholder, "#!/bin/sh\nexit 1\n");
  chmodSync(placeholder, 0o755);
}
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);

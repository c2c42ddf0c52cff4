// docker-compose.yml and the Dockerfile: the committed files pass the structural checks, and
// each rule catches the mistake it exists for.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCompose } from "@/deploy/validate/compose";
import { imagePinned, lintDockerfile } from "@/deploy/validate/dockerfile";
import { REPO_ROOT } from "@/deploy/validate/tools";

const compose = readFileSync(join(REPO_ROOT, "docker-compose.yml"), "utf8");
const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
const dockerignore = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8");
const messages = (problems: { where: string; message: string }[]) => problems.map((p) => `${p.where}: ${p.message}`);

function edit(text: string, from: string | RegExp, to: string): string {
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`nothing to replace: ${from}`);
  return changed;
}

describe("docker-compose.yml", () => {
  it("passes: app + PostgreSQL by default, observability and scale profiles, no secrets in the file", () => {
    expect(checkCompose(compose, { root: REPO_ROOT })).toEqual([]);
  });

  it.each([
    [
      "a literal AUTH_SECRET",
      (t: string) =>
        edit(t, /AUTH_SECRET: \$\{AUTH_SECRET:\?[^}]*\}/, "AUTH_SECRET: s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t"),
      /x-app-environment|service app: AUTH_SECRET holds a literal secret/,
    ],
    [
      "a password inside DATABASE_URL",
      (t: string) =>
        edit(t, /\$\{POSTGRES_APP_PASSWORD:\?set POSTGRES_APP_PASSWORD in \.env\}@db/, "hunter2hunter2@db"),
      /DATABASE_URL holds a literal secret/,
    ],
    [
      "a password inside DATABASE_MIGRATION_URL",
      (t: string) =>
        edit(
          t,
          /\$\{POSTGRES_PASSWORD:\?set POSTGRES_PASSWORD in \.env\}@db:5432\/\$\{POSTGRES_DB:-pilot\}\n      PIB_CREATE/,
          "hunter2hunter2@db:5432/pilot\n      PIB_CREATE",
        ),
      /DATABASE_MIGRATION_URL holds a literal secret/,
    ],
    [
      "AUTH_SECRET with a default instead of required",
      (t: string) => edit(t, /AUTH_SECRET: \$\{AUTH_SECRET:\?[^}]*\}/, "AUTH_SECRET: ${AUTH_SECRET:-}"),
      /AUTH_SECRET must be required/,
    ],
    [
      "AUDIT_HMAC_KEY with a default instead of required",
      (t: string) => edit(t, /AUDIT_HMAC_KEY: \$\{AUDIT_HMAC_KEY:\?[^}]*\}/, "AUDIT_HMAC_KEY: ${AUDIT_HMAC_KEY:-}"),
      /AUDIT_HMAC_KEY must be required/,
    ],
    [
      "no AUDIT_HMAC_KEY",
      (t: string) => edit(t, /  AUDIT_HMAC_KEY: [^\n]*\n/, ""),
      /service app: AUDIT_HMAC_KEY is not passed/,
    ],
    [
      "the app serving as the tables' owner",
      (t: string) =>
        edit(
          t,
          /postgresql:\/\/\$\{POSTGRES_APP_USER:-pilot_app\}:\$\{POSTGRES_APP_PASSWORD:\?[^}]*\}/,
          "postgresql://${POSTGRES_USER:-pilot}:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}",
        ),
      /DATABASE_URL must name another role than DATABASE_MIGRATION_URL/,
    ],
    [
      "no migration owner",
      (t: string) => edit(t, /      DATABASE_MIGRATION_URL: [^\n]*\n/, ""),
      /DATABASE_MIGRATION_URL \(the tables' owner, for migrations\) is not passed/,
    ],
    [
      "the owner's URL on the replicas",
      (t: string) =>
        edit(
          t,
          /      PIB_SETUP_ON_START: "false"\n/,
          '      PIB_SETUP_ON_START: "false"\n      DATABASE_MIGRATION_URL: postgresql://${POSTGRES_USER:-pilot}:${POSTGRES_PASSWORD:?x}@db:5432/pilot\n',
        ),
      /service app-replica: only the service that migrates gets DATABASE_MIGRATION_URL/,
    ],
    [
      "a database without a healthcheck",
      (t: string) => edit(t, /    healthcheck:\n      test: \["CMD-SHELL", "pg_isready[^\n]*\n/, "    healthcheck:\n"),
      /service db: needs a healthcheck/,
    ],
    [
      "an app that does not wait for a healthy database",
      (t: string) =>
        edit(t, /      db:\n        condition: service_healthy\n/, "      db:\n        condition: service_started\n"),
      /must wait for db with condition: service_healthy/,
    ],
    [
      "an unpinned image",
      (t: string) => edit(t, "postgres:17.5-bookworm", "postgres:latest"),
      /image postgres:latest is not pinned/,
    ],
    [
      "a bind mount that does not exist",
      (t: string) => edit(t, "./deploy/nginx/nginx.conf", "./deploy/nginx/missing.conf"),
      /bind mount \.\/deploy\/nginx\/missing\.conf does not exist/,
    ],
    [
      "the background loops taken out of the app with no worker service to run them",
      (t: string) => edit(t, '    command: ["worker"]\n', ""),
      /WORKER_MODE=process is set but no service runs the `worker` command by default/,
    ],
    [
      "a scale profile with one replica",
      (t: string) => edit(t, "replicas: 2", "replicas: 1"),
      /no app service with at least 2 replicas/,
    ],
    [
      "an observability profile without Grafana",
      (t: string) =>
        edit(
          t,
          /profiles: \[observability\]\n    restart: unless-stopped\n    environment:\n      GF_/,
          "profiles: [tools]\n    restart: unless-stopped\n    environment:\n      GF_",
        ),
      /profile observability: has no grafana service/,
    ],
  ])("fails %s", (_, mutate, expected) => {
    expect(messages(checkCompose(mutate(compose), { root: REPO_ROOT })).join("\n")).toMatch(expected);
  });

  it("fails a file that does not parse", () => {
    expect(messages(checkCompose("services: [unclosed"))[0]).toMatch(/does not parse/);
  });
});

describe("Dockerfile", () => {
  it("passes: multi-stage, pinned node:20 bookworm-slim, non-root, HEALTHCHECK on /api/health, version labels", () => {
    expect(lintDockerfile(dockerfile, dockerignore)).toEqual([]);
  });

  it("knows a pinned image when it sees one", () => {
    expect(imagePinned("node:20.20.2-bookworm-slim")).toBe(true);
    expect(imagePinned(`node:20.20.2-bookworm-slim@sha256:${"a".repeat(64)}`)).toBe(true);
    expect(imagePinned("node:20-bookworm-slim")).toBe(false);
    expect(imagePinned("node:lts")).toBe(false);
    expect(imagePinned("node")).toBe(false);
  });

  it.each([
    ["no USER (runs as root)", (t: string) => edit(t, /\nUSER 10001:10001\n/, "\n"), /the final stage sets no USER/],
    ["USER root", (t: string) => edit(t, "USER 10001:10001", "USER root"), /runs as root/],
    [
      "an unpinned base image",
      (t: string) => edit(t, "ARG NODE_IMAGE=node:20.20.2-bookworm-slim", "ARG NODE_IMAGE=node:20-bookworm-slim"),
      /base image node:20-bookworm-slim is not pinned/,
    ],
    [
      "another Node major",
      (t: string) => edit(t, "ARG NODE_IMAGE=node:20.20.2-bookworm-slim", "ARG NODE_IMAGE=node:22.11.0-bookworm-slim"),
      /expected node:20\.x\.y-bookworm-slim/,
    ],
    ["no HEALTHCHECK", (t: string) => edit(t, /HEALTHCHECK [^\n]*\\\n[^\n]*\n/, ""), /no HEALTHCHECK/],
    [
      "a curl HEALTHCHECK (no curl in slim)",
      (t: string) =>
        edit(
          t,
          /HEALTHCHECK ([^\n]*)\\\n[^\n]*\n/,
          "HEALTHCHECK $1\\\n  CMD curl -f http://127.0.0.1:3000/api/health\n",
        ),
      /neither curl nor wget/,
    ],
    [
      "a baked-in secret",
      (t: string) => edit(t, "PIB_SETUP_ON_START=true", "PIB_SETUP_ON_START=true AUTH_SECRET=abc"),
      /ENV AUTH_SECRET bakes a secret/,
    ],
    [
      "a single stage",
      (t: string) => t.replace(/FROM \$\{NODE_IMAGE\} AS (deps|build)[\s\S]*?(?=FROM \$\{NODE_IMAGE\} AS runtime)/, ""),
      /multi-stage/,
    ],
  ])("fails %s", (_, mutate, expected) => {
    expect(messages(lintDockerfile(mutate(dockerfile), dockerignore)).join("\n")).toMatch(expected);
  });

  it("fails a .dockerignore that lets .env into the build context", () => {
    expect(messages(lintDockerfile(dockerfile, dockerignore.replace(/^\.env$/m, "")))).toContain(
      ".dockerignore: does not exclude .env",
    );
  });
});

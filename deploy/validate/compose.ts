// Structural checks of docker-compose.yml (there is no Docker engine here to run it): services
// and profiles as the README promises, healthchecks and start order, pinned images, bind mounts
// that exist, and no secret written into the file.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { Problem } from "./chart";

type Service = {
  image?: string;
  build?: unknown;
  profiles?: string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: unknown;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  ports?: unknown[];
  deploy?: { replicas?: number };
  user?: string;
  read_only?: boolean;
  secrets?: (string | { source: string })[];
  command?: string[] | string;
};
type Compose = {
  services?: Record<string, Service>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { environment?: string; file?: string }>;
};

const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIALS?)(__FILE)?$/i;
/** Must be given by the operator: compose refuses to start without them. */
const REQUIRED_SECRETS = ["AUTH_SECRET", "AUDIT_HMAC_KEY", "POSTGRES_PASSWORD"];

/** The user a postgresql:// URL (with ${…} interpolations) connects as. */
function urlUser(value: string): string | null {
  return /^postgres(?:ql)?:\/\/([^:@/]+)/.exec(value)?.[1] ?? null;
}

function environmentOf(service: Service): [string, string][] {
  const env = service.environment;
  if (!env) return [];
  if (Array.isArray(env))
    return env.map((line) => {
      const i = line.indexOf("=");
      return i < 0 ? [line, ""] : [line.slice(0, i), line.slice(i + 1)];
    });
  return Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)]);
}

function dependsOn(service: Service): Record<string, { condition?: string }> {
  const deps = service.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, {}]));
  return deps;
}

function imagePinned(image: string): boolean {
  if (image.includes("@sha256:")) return true;
  const tag = image.split("/").pop()!.split(":")[1];
  // A compose-built image may be named from variables (${PIB_IMAGE_TAG:-local}).
  if (!tag) return false;
  return tag !== "latest" && (/\d/.test(tag) || tag.includes("${"));
}

/**
 * Whether a value written in the compose file is itself a secret: for a URL, a password that is
 * not one ${…}; for a secret-named variable, anything besides ${…} interpolations; for a
 * *_FILE variable, anything but a path under /run/secrets.
 */
function literalSecret(key: string, value: string): boolean {
  const masked = value.replace(/\$\{[^}]*\}/g, "\u0001");
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^:@/\s]*)(?::([^@\s]*))?@/i.exec(masked);
  if (url) return url[2] !== undefined && url[2] !== "\u0001";
  if (/_FILE$/.test(key)) return !value.startsWith("/run/secrets/");
  if (SECRET_NAME.test(key)) return masked.replace(/\u0001/g, "").trim() !== "";
  return false;
}

export function checkCompose(text: string, options: { root?: string } = {}): Problem[] {
  const problems: Problem[] = [];
  const add = (where: string, message: string) => problems.push({ where, message });
  let compose: Compose;
  try {
    compose = parse(text, { merge: true }) as Compose;
  } catch (error) {
    return [
      {
        where: "docker-compose.yml",
        message: `does not parse: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
  const services = compose.services ?? {};
  const names = Object.keys(services);
  const defaultSet = new Set(names.filter((n) => !services[n]!.profiles?.length));

  for (const [name, service] of Object.entries(services)) {
    const where = `service ${name}`;
    if (!service.image && !service.build) add(where, "needs an image or a build");
    // A service that builds the image names it itself (${PIB_IMAGE_TAG:-local}); others pull.
    if (service.image && !service.build && !imagePinned(service.image))
      add(where, `image ${service.image} is not pinned to a version`);
    for (const [dep, { condition }] of Object.entries(dependsOn(service))) {
      if (!services[dep]) add(where, `depends_on ${dep}, which is not a service`);
      else if (defaultSet.has(name) && !defaultSet.has(dep))
        add(where, `starts by default but depends on ${dep}, which only runs in a profile`);
      else if (
        condition &&
        !["service_started", "service_healthy", "service_completed_successfully"].includes(condition)
      )
        add(where, `depends_on ${dep}: unknown condition ${condition}`);
      else if (condition === "service_healthy" && !services[dep]!.healthcheck?.test)
        add(where, `waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
    }
    for (const [key, value] of environmentOf(service)) {
      if (literalSecret(key, value)) add(where, `${key} holds a literal secret; use \${VARIABLE} from .env`);
      if (REQUIRED_SECRETS.includes(key) && !/\$\{[A-Z_]+:\?[^}]+\}/.test(value))
        add(where, `${key} must be required with \${${key}:?message}`);
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === "string" ? volume.split(":")[0]! : (volume.source ?? "");
      if (source.startsWith("./") || source.startsWith("../")) {
        if (options.root && !existsSync(join(options.root, source))) add(where, `bind mount ${source} does not exist`);
      } else if (
        source &&
        !source.startsWith("/") &&
        !(source in (compose.volumes ?? {})) &&
        !source.startsWith("${")
      ) {
        add(where, `named volume ${source} is not declared under volumes:`);
      }
    }
    for (const secret of service.secrets ?? []) {
      const source = typeof secret === "string" ? secret : secret.source;
      if (!compose.secrets?.[source]) add(where, `secret ${source} is not declared under secrets:`);
    }
  }
  for (const [name, secret] of Object.entries(compose.secrets ?? {})) {
    if (!secret.environment && !secret.file) add(`secret ${name}`, "must come from the environment or a file");
  }

  // What README and the issue promise.
  const db = services.db;
  const app = services.app;
  if (!db) add("services", "no db service");
  else {
    if (!db.healthcheck?.test) add("service db", "needs a healthcheck");
    const dataVolume = (db.volumes ?? [])
      .map((v) => (typeof v === "string" ? v : `${v.source}:${v.target}`))
      .find((v) => v.includes("/var/lib/postgresql"));
    if (!dataVolume || !(dataVolume.split(":")[0]! in (compose.volumes ?? {})))
      add("service db", "PostgreSQL data must live in a named volume");
  }
  if (!app) add("services", "no app service");
  else {
    if (app.profiles?.length) add("service app", "must start without a profile");
    if (!app.healthcheck?.test) add("service app", "needs a healthcheck");
    if (dependsOn(app).db?.condition !== "service_healthy")
      add("service app", "must wait for db with condition: service_healthy");
    if (!app.ports?.length) add("service app", "must publish its port");
    const appEnv = new Map(environmentOf(app));
    for (const key of ["AUTH_SECRET", "AUDIT_HMAC_KEY"])
      if (!appEnv.has(key)) add("service app", `${key} is not passed`);
    // Two database roles: the app migrates as the owner, then serves as a role that may not
    // rewrite the audit trail (lib/db/roles.ts).
    const owner = urlUser(appEnv.get("DATABASE_MIGRATION_URL") ?? "");
    const runtime = urlUser(appEnv.get("DATABASE_URL") ?? "");
    if (!owner) add("service app", "DATABASE_MIGRATION_URL (the tables' owner, for migrations) is not passed");
    else if (owner === runtime)
      add(
        "service app",
        "DATABASE_URL must name another role than DATABASE_MIGRATION_URL (the runtime role, not the owner)",
      );
  }
  // WORKER_MODE=process takes the background loops out of the app containers: then a service that
  // starts by default must run them (the image's `worker` command), or no job would ever be done.
  const processMode = Object.entries(services).filter(([, s]) =>
    environmentOf(s).some(([k, v]) => k === "WORKER_MODE" && v === "process"),
  );
  const workers = names.filter(
    (n) => defaultSet.has(n) && JSON.stringify(services[n]!.command ?? "").includes("worker"),
  );
  if (processMode.length && !workers.length)
    add("services", "WORKER_MODE=process is set but no service runs the `worker` command by default");
  for (const name of workers) {
    if (!environmentOf(services[name]!).some(([k, v]) => k === "WORKER_MODE" && v === "process"))
      add(`service ${name}`, "the worker needs WORKER_MODE=process");
  }
  for (const [name, service] of Object.entries(services)) {
    if (name === "app") continue;
    if (environmentOf(service).some(([k]) => k === "DATABASE_MIGRATION_URL"))
      add(`service ${name}`, "only the service that migrates gets DATABASE_MIGRATION_URL");
  }
  const inProfile = (profile: string) => names.filter((n) => services[n]!.profiles?.includes(profile));
  const observability = inProfile("observability");
  for (const needed of ["otel-collector", "jaeger", "prometheus", "grafana"]) {
    if (!observability.includes(needed)) add("profile observability", `has no ${needed} service`);
  }
  const scale = inProfile("scale");
  if (!scale.includes("redis")) add("profile scale", "has no redis service");
  const replicas = scale.filter(
    (n) => (services[n]!.deploy?.replicas ?? 1) >= 2 && (services[n]!.build || services[n]!.image === app?.image),
  );
  if (!replicas.length) add("profile scale", "has no app service with at least 2 replicas");
  for (const n of replicas) {
    if (!environmentOf(services[n]!).some(([k, v]) => k === "REDIS_URL" && v.includes("redis")))
      add(`service ${n}`, "replicas must share rate limits through REDIS_URL");
  }
  const proxy = scale.find((n) => replicas.some((r) => dependsOn(services[n]!)[r]));
  if (!proxy) add("profile scale", "has no proxy in front of the replicas");
  if (proxy && !services[proxy]!.ports?.length) add(`service ${proxy}`, "must publish a port");
  return problems;
}

// Lints the Dockerfile's basics (no engine here to build it): multi-stage, every base image
// pinned to an exact version or digest, the final stage running as a non-root user with a
// HEALTHCHECK on /api/health, no secrets baked in, and a .dockerignore that keeps them out.
import type { Problem } from "./chart";

type Instruction = { line: number; keyword: string; args: string };

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    // Continuation lines (comments inside a continued instruction are skipped, as Docker does).
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      const next = lines[i]!;
      line = line.replace(/\\\s*$/, " ") + (/^\s*#/.test(next) ? "" : next);
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(line);
    if (match) out.push({ line: start + 1, keyword: match[1]!.toUpperCase(), args: match[2]!.trim() });
  }
  return out;
}

/** An image reference pinned to an exact release (x.y.z in its tag) or to a digest. */
export function imagePinned(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const tag = image.split("/").pop()!.split(":")[1];
  return !!tag && tag !== "latest" && /(^|[^0-9])\d+\.\d+\.\d+/.test(tag);
}

export function lintDockerfile(text: string, dockerignore?: string): Problem[] {
  const problems: Problem[] = [];
  const add = (line: number | string, message: string) =>
    problems.push({ where: typeof line === "number" ? `Dockerfile:${line}` : line, message });
  const instructions = parseDockerfile(text);
  const globalArgs = new Map<string, string>();
  for (const ins of instructions) {
    if (ins.keyword === "FROM") break;
    if (ins.keyword === "ARG") {
      const [name, value] = ins.args.split("=", 2);
      if (name && value !== undefined) globalArgs.set(name.trim(), value.trim());
    }
  }
  const expand = (s: string) =>
    s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, n: string) => globalArgs.get(n) ?? `\${${n}}`);

  const stages: { name: string | null; from: Instruction; body: Instruction[] }[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "FROM") {
      const parts = ins.args.split(/\s+/).filter((p) => !p.startsWith("--"));
      stages.push({ name: parts[2] ?? null, from: ins, body: [] });
    } else if (stages.length) stages[stages.length - 1]!.body.push(ins);
  }
  if (stages.length < 2) add("Dockerfile", "expected a multi-stage build (build and runtime stages)");
  const stageNames = new Set(stages.map((s) => s.name).filter(Boolean));
  for (const stage of stages) {
    const image = expand(stage.from.args.split(/\s+/).filter((p) => !p.startsWith("--"))[0] ?? "");
    if (stageNames.has(image)) continue;
    if (image.includes("${")) add(stage.from.line, `base image ${image} depends on an ARG without a default`);
    else if (!imagePinned(image))
      add(stage.from.line, `base image ${image} is not pinned to an exact version or digest`);
    else if (!/^node:20\.\d+\.\d+-bookworm-slim(@sha256:[a-f0-9]{64})?$/.test(image))
      add(stage.from.line, `base image ${image}: expected node:20.x.y-bookworm-slim (Node 20, Debian bookworm, slim)`);
  }
  const final = stages[stages.length - 1];
  if (final) {
    const users = final.body.filter((i) => i.keyword === "USER");
    const lastUser = users[users.length - 1];
    if (!lastUser) add(final.from.line, "the final stage sets no USER: it would run as root");
    else {
      const user = lastUser.args.split(":")[0]!;
      if (user === "root" || user === "0") add(lastUser.line, "the final stage runs as root");
      if (!/^\d+$/.test(user)) add(lastUser.line, "USER should be numeric so Kubernetes can verify runAsNonRoot");
      const runAfter = final.body.find((i) => i.keyword === "RUN" && i.line > lastUser.line);
      if (runAfter) add(runAfter.line, "RUN after the final USER runs as that user; expected the USER last");
    }
    const health = final.body.find((i) => i.keyword === "HEALTHCHECK");
    if (!health) add(final.from.line, "the final stage has no HEALTHCHECK");
    else if (/^NONE\b/i.test(health.args)) add(health.line, "HEALTHCHECK NONE");
    else if (!health.args.includes("/api/health")) add(health.line, "HEALTHCHECK should call /api/health");
    else if (/\bcurl\b|\bwget\b/.test(health.args))
      add(health.line, "the slim base image has neither curl nor wget; use node");
    if (!final.body.some((i) => i.keyword === "EXPOSE")) add(final.from.line, "the final stage EXPOSEs no port");
    if (!final.body.some((i) => i.keyword === "ENTRYPOINT" || i.keyword === "CMD"))
      add(final.from.line, "the final stage has no ENTRYPOINT or CMD");
    const labels = final.body
      .filter((i) => i.keyword === "LABEL")
      .map((i) => i.args)
      .join(" ");
    for (const label of ["org.opencontainers.image.version", "org.opencontainers.image.revision"]) {
      if (!labels.includes(label)) add(final.from.line, `the image has no ${label} label`);
    }
  }
  for (const ins of instructions) {
    if (ins.keyword === "ADD" && /https?:\/\//.test(ins.args))
      add(ins.line, "ADD from a URL: download in a RUN with a checksum instead");
    if (ins.keyword === "ENV" || ins.keyword === "ARG") {
      for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
        if (/(SECRET|PASSWORD|TOKEN|PRIVATE_KEY|API_KEY)/i.test(m[1]!) && m[2])
          add(ins.line, `${ins.keyword} ${m[1]} bakes a secret into the image`);
      }
    }
  }
  if (dockerignore !== undefined) {
    const entries = new Set(
      dockerignore
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("#")),
    );
    for (const needed of [".env", ".git", ".next", ".data"])
      if (!entries.has(needed)) add(".dockerignore", `does not exclude ${needed}`);
    if (!entries.has("node_modules") && !entries.has("**/node_modules"))
      add(".dockerignore", "does not exclude node_modules");
  } else {
    add(".dockerignore", "missing");
  }
  return problems;
}

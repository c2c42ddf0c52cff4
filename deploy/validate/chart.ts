// Renders the Helm chart with the real helm binary (lint --strict, then template) and parses
// the manifests it prints.
import { spawnSync } from "node:child_process";
import { parseAllDocuments } from "yaml";
import { helmPath } from "./tools";

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
};

export type Problem = { where: string; message: string };

export type RenderOptions = {
  chartDir: string;
  valuesFiles?: string[];
  set?: string[];
  release?: string;
  namespace?: string;
  kubeVersion?: string;
  /** Another helm binary (default: the pinned Helm 4). */
  helmBinary?: string;
};

export class RenderError extends Error {}

function helm(args: string[], binary = helmPath()): { ok: boolean; output: string; stdout: string } {
  const result = spawnSync(binary, args, {
    encoding: "utf8",
    maxBuffer: 32 * 1024 * 1024,
    env: {
      ...process.env,
      HELM_CACHE_HOME: "/tmp/pib-helm-cache",
      HELM_CONFIG_HOME: "/tmp/pib-helm-config",
      HELM_DATA_HOME: "/tmp/pib-helm-data",
    },
  });
  if (result.error) throw result.error;
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim(), stdout: result.stdout };
}

function valueArgs(options: RenderOptions): string[] {
  return [
    ...(options.valuesFiles ?? []).flatMap((f) => ["-f", f]),
    ...(options.set ?? []).flatMap((s) => ["--set", s]),
  ];
}

/** `helm lint --strict`: template errors, values schema violations, missing required values. */
export function lintChart(options: RenderOptions): { ok: boolean; output: string } {
  const result = helm(["lint", "--strict", options.chartDir, ...valueArgs(options)], options.helmBinary);
  return { ok: result.ok, output: result.output };
}

/** `helm template` → the objects it renders (documents that are empty after rendering skipped). */
export function renderChart(options: RenderOptions): K8sObject[] {
  const args = [
    "template",
    options.release ?? "pilot-in-a-box",
    options.chartDir,
    "--namespace",
    options.namespace ?? "pilot",
    ...valueArgs(options),
  ];
  if (options.kubeVersion) args.push("--kube-version", options.kubeVersion);
  const result = helm(args, options.helmBinary);
  if (!result.ok) throw new RenderError(result.output);
  return parseManifests(result.stdout);
}

export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length)
      throw new RenderError(`rendered YAML does not parse: ${doc.errors.map((e) => e.message).join("; ")}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value))
      throw new RenderError(`a rendered document is not an object: ${JSON.stringify(value).slice(0, 80)}`);
    const object = value as K8sObject;
    if (
      typeof object.apiVersion !== "string" ||
      typeof object.kind !== "string" ||
      typeof object.metadata?.name !== "string"
    ) {
      throw new RenderError(
        `a rendered object lacks apiVersion, kind or metadata.name: ${JSON.stringify(value).slice(0, 120)}`,
      );
    }
    objects.push(object);
  }
  return objects;
}

export function describe(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

// Schema validation of rendered Kubernetes objects, without a cluster, in two passes over the
// types generated from Kubernetes' own OpenAPI document (npm package kubernetes-models):
// 1. its compiled JSON-schema validators: types, required fields, enums, formats
//    (what kubeconform checks by default);
// 2. TypeScript's excess-property check against its interfaces: a misspelt or misplaced field
//    (`livenesProbe`, `port` under `ports[0].containerPort`) fails, as kubeconform -strict does.
import { join } from "node:path";
import ts from "typescript";
import { describe, type K8sObject, type Problem } from "./chart";
import { REPO_ROOT } from "./tools";

type ModelClass = new (data: unknown) => { validate(): void };

async function modelOf(object: K8sObject): Promise<ModelClass | null> {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(object.apiVersion) || !/^[A-Z][A-Za-z0-9]+$/.test(object.kind)) return null;
  try {
    const mod = (await import(/* @vite-ignore */ `kubernetes-models/${object.apiVersion}`)) as Record<string, unknown>;
    const model = mod[object.kind];
    return typeof model === "function" ? (model as ModelClass) : null;
  } catch {
    return null;
  }
}

export async function validateSchemas(objects: K8sObject[], options: { strict?: boolean } = {}): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const object of objects) {
    const Model = await modelOf(object);
    if (!Model) {
      problems.push({
        where: describe(object),
        message: `no schema for ${object.apiVersion} ${object.kind} (unknown kind or API version)`,
      });
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push({ where: describe(object), message: error instanceof Error ? error.message : String(error) });
    }
  }
  return options.strict === false ? problems : problems.concat(strictFieldCheck(objects));
}

const CHECK_FILE = join(REPO_ROOT, "__pib_kube_strict_check__.ts");

/**
 * One typed constant per object; TypeScript reports fields the API does not have. One program
 * for many renders is much faster than one each: pass `label` to tell them apart in problems.
 */
export function strictFieldCheck(
  objects: K8sObject[],
  label: (object: K8sObject, index: number) => string = (o) => describe(o),
): Problem[] {
  const typed = objects.filter(
    (o) => /^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(o.apiVersion) && /^[A-Z][A-Za-z0-9]+$/.test(o.kind),
  );
  if (!typed.length) return [];
  const source = typed
    .map(
      (o, i) =>
        `export const o${i}: import("kubernetes-models/${o.apiVersion}/${o.kind}").I${o.kind} = ${JSON.stringify(o)};`,
    )
    .join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts"],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, language, onError, create) =>
    name === CHECK_FILE ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, onError, create);
  host.fileExists = (name) => name === CHECK_FILE || fileExists(name);
  host.readFile = (name) => (name === CHECK_FILE ? source : readFile(name));
  const program = ts.createProgram([CHECK_FILE], options, host);
  const problems: Problem[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (diagnostic.file?.fileName === CHECK_FILE && diagnostic.start !== undefined) {
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      const object = typed[line];
      // The innermost line of TypeScript's elaboration names the offending field; the source
      // at the error's position shows where it is.
      const detail =
        text
          .split("\n")
          .map((l) => l.trim())
          .filter(Boolean)
          .pop() ?? text;
      const at = source.slice(diagnostic.start, diagnostic.start + 60);
      problems.push({ where: object ? label(object, line) : "manifests", message: `${detail} (at ${at}…)` });
    } else {
      problems.push({ where: "schema check", message: text.split("\n")[0]! });
    }
  }
  return problems;
}

// What `npm audit --json` said, in three outcomes: findings at or above the audit level (CI
// fails), none (passes), or the advisory service could not be asked (reported loudly, passes: on
// machines that reach only the registry's package endpoints no audit is possible, and a gate that
// is always red gets switched off). Anything else — no lockfile, output that is not a report —
// is an error: an audit that silently did not run must not look like a clean one.

export const SEVERITIES = ["info", "low", "moderate", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export type AuditFinding = {
  package: string;
  severity: Severity;
  /** Affected versions of the package. */
  range: string;
  direct: boolean;
  /** Advisory titles (with their URL) or, for a package affected through a dependency, "via <name>". */
  advisories: string[];
  /** "yes" (npm audit fix), "<pkg>@<version> (semver-major)" (npm audit fix --force), or "no". */
  fix: string;
};

export type AuditOutcome =
  | { kind: "findings"; failing: AuditFinding[]; below: AuditFinding[]; counts: Partial<Record<Severity, number>> }
  | { kind: "clean"; below: AuditFinding[]; dependencies?: number }
  | { kind: "unreachable"; reason: string }
  | { kind: "error"; reason: string };

type Advisory = { title?: string; url?: string; severity?: string };
type Vulnerability = {
  name: string;
  severity: Severity;
  isDirect?: boolean;
  range?: string;
  via?: (string | Advisory)[];
  fixAvailable?: boolean | { name: string; version: string; isSemVerMajor?: boolean };
};
type Report = {
  auditReportVersion?: number;
  vulnerabilities?: Record<string, Vulnerability>;
  metadata?: { dependencies?: { total?: number } };
};
type ErrorOutput = {
  message?: string;
  statusCode?: number;
  error?: { code?: string; summary?: string; detail?: string };
};

// Failures to reach the advisory service: network errors, and HTTP errors from its endpoint.
const NETWORK_CODES =
  /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ESOCKETTIMEDOUT|EHOSTUNREACH|ENETUNREACH|ERR_SOCKET_TIMEOUT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)\b/;

const rank = (s: string) => SEVERITIES.indexOf(s as Severity);

function fixOf(fix: Vulnerability["fixAvailable"]): string {
  if (fix === true) return "yes (npm audit fix)";
  if (fix && typeof fix === "object")
    return `${fix.name}@${fix.version}${fix.isSemVerMajor ? " (semver-major: npm audit fix --force)" : ""}`;
  return "no";
}

function findingOf(v: Vulnerability): AuditFinding {
  const advisories = (v.via ?? []).map((a) =>
    typeof a === "string" ? `via ${a}` : `${a.title ?? "(untitled advisory)"}${a.url ? ` ${a.url}` : ""}`,
  );
  return {
    package: v.name,
    severity: v.severity,
    range: v.range ?? "",
    direct: v.isDirect === true,
    advisories: [...new Set(advisories)],
    fix: fixOf(v.fixAvailable),
  };
}

export function classifyAudit(
  run: { status: number | null; stdout: string; stderr: string; timedOut?: boolean },
  level: Severity = "high",
): AuditOutcome {
  if (run.timedOut) return { kind: "unreachable", reason: "npm audit did not answer in time" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    parsed = undefined;
  }
  const report = parsed as Report | undefined;
  if (report && typeof report === "object" && report.vulnerabilities && typeof report.vulnerabilities === "object") {
    const all = Object.values(report.vulnerabilities)
      .map(findingOf)
      .sort((a, b) => rank(b.severity) - rank(a.severity) || a.package.localeCompare(b.package));
    const failing = all.filter((f) => rank(f.severity) >= rank(level));
    const below = all.filter((f) => rank(f.severity) < rank(level));
    if (!failing.length) return { kind: "clean", below, dependencies: report.metadata?.dependencies?.total };
    const counts: Partial<Record<Severity, number>> = {};
    for (const f of all) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
    return { kind: "findings", failing, below, counts };
  }
  const error = (parsed && typeof parsed === "object" ? parsed : {}) as ErrorOutput;
  const text = [error.message, error.error?.code, error.error?.summary, run.stderr].filter(Boolean).join("\n");
  // npm says "audit endpoint returned an error" for every failure of the advisory request, with
  // the HTTP status (e.g. 405 from a registry mirror without the advisory API) or network error.
  const endpointFailed = /audit endpoint returned an error/.test(text) || /\/-\/npm\/v1\/security\//.test(text);
  if (endpointFailed || NETWORK_CODES.test(text)) {
    const reason = (
      error.message ??
      text.split("\n").find((l) => /audit/.test(l)) ??
      "the advisory endpoint failed"
    ).replace(/^npm (warn|error) audit /, "");
    return { kind: "unreachable", reason };
  }
  const reason = error.error?.code
    ? `${error.error.code}: ${error.error.summary ?? ""}`.trim()
    : (run.stderr.trim().split("\n")[0] ?? `npm audit exited ${run.status}`);
  return { kind: "error", reason: reason || `npm audit exited ${run.status} without a report` };
}

/** Lines to print, and the exit code: 1 findings, 2 the audit could not run, 0 otherwise. */
export function reportAudit(outcome: AuditOutcome, level: Severity = "high"): { lines: string[]; exitCode: number } {
  const line = (f: AuditFinding) => [
    `  ${f.severity.toUpperCase().padEnd(8)} ${f.package}${f.range ? ` ${f.range}` : ""}${f.direct ? " (direct dependency)" : ""}`,
    ...f.advisories.map((a) => `           ${a}`),
    `           fix available: ${f.fix}`,
  ];
  switch (outcome.kind) {
    case "findings":
      return {
        lines: [
          `FAIL: ${outcome.failing.length} production dependencies with ${level} or critical advisories:`,
          ...outcome.failing.flatMap(line),
          ...(outcome.below.length
            ? [
                `(and ${outcome.below.length} below ${level}: ${outcome.below.map((f) => `${f.package} ${f.severity}`).join(", ")})`,
              ]
            : []),
        ],
        exitCode: 1,
      };
    case "clean":
      return {
        lines: [
          `ok: no ${level} or critical advisories in production dependencies${outcome.dependencies !== undefined ? ` (${outcome.dependencies} packages)` : ""}`,
          ...(outcome.below.length ? [`${outcome.below.length} below ${level}:`, ...outcome.below.flatMap(line)] : []),
        ],
        exitCode: 0,
      };
    case "unreachable":
      return {
        lines: [
          "WARNING: advisory service unreachable — dependency audit NOT performed",
          `  npm audit: ${outcome.reason}`,
          "  Run `npm run audit:deps` where the registry's advisory endpoint answers (e.g. a developer machine) before a release.",
        ],
        exitCode: 0,
      };
    case "error":
      return { lines: [`ERROR: npm audit could not run: ${outcome.reason}`], exitCode: 2 };
  }
}

// How `npm run audit:deps` reads npm audit's outputs (tests/unit/fixtures/npm-audit: two captured
// on these machines, the reports written from npm 11's format): findings at or above "high" fail
// with a list a person can act on; none passes; an unreachable advisory service is reported, not
// failed; an audit that could not run at all (no lockfile) is an error, never a pass.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyAudit, reportAudit } from "@/scripts/supply-chain/npm-audit";
import { REPO_ROOT } from "@/deploy/validate/tools";

const FIXTURES = join(REPO_ROOT, "tests", "unit", "fixtures", "npm-audit");
const fixture = (name: string, status: number) => ({
  status,
  stdout: readFileSync(join(FIXTURES, `${name}.stdout.json`), "utf8"),
  stderr: (() => {
    try {
      return readFileSync(join(FIXTURES, `${name}.stderr.txt`), "utf8");
    } catch {
      return "";
    }
  })(),
});

describe("npm audit classification", () => {
  it("fails on high and critical findings, listing package, severity, advisory and fix", () => {
    const outcome = classifyAudit(fixture("vulnerable", 1));
    expect(outcome.kind).toBe("findings");
    if (outcome.kind !== "findings") return;
    expect(outcome.failing.map((f) => [f.package, f.severity, f.fix])).toEqual([
      ["example-cli", "critical", "example-cli@3.0.0 (semver-major: npm audit fix --force)"],
      ["example-parser", "critical", "example-cli@3.0.0 (semver-major: npm audit fix --force)"],
      ["example-http", "high", "yes (npm audit fix)"],
    ]);
    expect(outcome.below.map((f) => [f.package, f.fix])).toEqual([["example-color", "no"]]);
    const { lines, exitCode } = reportAudit(outcome);
    expect(exitCode).toBe(1);
    const text = lines.join("\n");
    expect(text).toMatch(/^FAIL: 3 production dependencies with high or critical advisories/);
    expect(text).toContain("CRITICAL example-parser <1.2.6");
    expect(text).toContain("Prototype Pollution in example-parser https://github.com/advisories/GHSA-xxxx-xxxx-0001");
    expect(text).toContain("CRITICAL example-cli <=2.9.9 (direct dependency)");
    expect(text).toContain("via example-parser");
    expect(text).toContain("HIGH     example-http 2.0.0 - 2.4.0 (direct dependency)");
    expect(text).toContain("Request smuggling in example-http");
    expect(text).toContain("(and 1 below high: example-color moderate)");
  });

  it("passes when nothing reaches the level (a moderate one is still shown), and when there is nothing", () => {
    const moderate = classifyAudit(fixture("moderate-only", 0));
    expect(moderate.kind).toBe("clean");
    const report = reportAudit(moderate);
    expect(report.exitCode).toBe(0);
    expect(report.lines.join("\n")).toMatch(
      /ok: no high or critical advisories in production dependencies \(214 packages\)\n1 below high:\n {2}MODERATE example-color/,
    );

    const clean = classifyAudit(fixture("clean", 0));
    expect(clean).toEqual({ kind: "clean", below: [], dependencies: 214 });
    expect(reportAudit(clean)).toEqual({
      lines: ["ok: no high or critical advisories in production dependencies (214 packages)"],
      exitCode: 0,
    });
  });

  it("reports, and does not fail, when the advisory service cannot be reached (405 here, refused, timed out)", () => {
    for (const name of ["advisory-405", "refused"]) {
      const outcome = classifyAudit(fixture(name, 1));
      expect(outcome.kind, name).toBe("unreachable");
      const { lines, exitCode } = reportAudit(outcome);
      expect(exitCode).toBe(0);
      expect(lines[0]).toBe("WARNING: advisory service unreachable — dependency audit NOT performed");
    }
    expect(reportAudit(classifyAudit(fixture("advisory-405", 1))).lines[1]).toContain(
      "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
    );
    expect(reportAudit(classifyAudit(fixture("refused", 1))).lines[1]).toContain("ECONNREFUSED");
    // Network failure without JSON on stdout (e.g. DNS), and npm hanging.
    expect(
      classifyAudit({
        status: 1,
        stdout: "",
        stderr:
          "npm error code EAI_AGAIN\nnpm error request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed",
      }).kind,
    ).toBe("unreachable");
    expect(classifyAudit({ status: null, stdout: "", stderr: "", timedOut: true }).kind).toBe("unreachable");
  });

  it("is an error (exit 2), not a pass, when the audit cannot run for another reason", () => {
    const outcome = classifyAudit(fixture("no-lockfile", 1));
    expect(outcome).toEqual({ kind: "error", reason: "ENOLOCK: This command requires an existing lockfile." });
    expect(reportAudit(outcome).exitCode).toBe(2);
    expect(classifyAudit({ status: 1, stdout: "not json", stderr: "npm error something else" })).toEqual({
      kind: "error",
      reason: "npm error something else",
    });
  });
});

// What a scenario proves (checks) and what it measured (figures), and how both are printed.
export type Check = { name: string; ok: boolean; detail: string };
export type ScenarioResult = { scenario: string; checks: Check[]; figures: [string, string][]; tables?: string[][][] };

export function check(checks: Check[], name: string, ok: boolean, detail = ""): void {
  checks.push({ name, ok, detail });
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

export function formatResult(r: ScenarioResult): string {
  const figures = r.figures.length ? `\n\n${table([["figure", "value"], ...r.figures])}` : "";
  const checks = table([
    ["check", "result", "detail"],
    ...r.checks.map((c) => [c.name, c.ok ? "PASS" : "FAIL", c.detail.replace(/\s+/g, " ").slice(0, 160)]),
  ]);
  const tables = (r.tables ?? []).map((t) => `\n\n${table(t)}`).join("");
  return `## ${r.scenario}${figures}${tables}\n\n${checks}`;
}

export function failures(r: ScenarioResult): Check[] {
  return r.checks.filter((c) => !c.ok);
}

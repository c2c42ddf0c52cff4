// A window of the demo data for chosen sites, as CSV. Each site's streams are seeded by its id, so
// these rows are exactly the rows the full demo holds for that site and window.
import { DEFAULT_DEMO, DEMO_COLUMNS, demoRows, type DemoOptions } from "@/lib/demo/data";

export function demoOptionsFor(siteIds: string[]): DemoOptions {
  return { ...DEFAULT_DEMO, sites: DEFAULT_DEMO.sites.filter((s) => siteIds.includes(s.siteId)) };
}

export function demoWindowCsv(siteIds: string[], from: string, to: string): { csv: string; rows: number } {
  const a = Date.parse(from);
  const b = Date.parse(to);
  const lines = [DEMO_COLUMNS.join(",")];
  for (const r of demoRows(demoOptionsFor(siteIds))) {
    const t = Date.parse(r.timestamp_utc);
    if (t >= b) break;
    if (t < a) continue;
    lines.push(DEMO_COLUMNS.map((c) => r[c]).join(","));
  }
  return { csv: `${lines.join("\n")}\n`, rows: lines.length - 1 };
}

// What the study form offers: the tenants and ready dataset versions the principal may see, and the
// sites those versions hold.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { listDatasets } from "@/lib/datasets/repo";
import { scopeChoices, type ScopeChoice } from "./scope-choices";

export type StudyFormChoices = {
  tenants: string[];
  versions: {
    id: string;
    label: string;
    tenantId: string;
    latest: boolean;
    startMs: number | null;
    endMs: number | null;
  }[];
  sites: string[];
  /** The site / facility / cluster / zone combinations in the data, for the cascading selects. */
  scopes: ScopeChoice[];
};

export async function studyFormChoices(principal: Principal): Promise<StudyFormChoices> {
  const [datasets, scopes] = await Promise.all([listDatasets(principal), scopeChoices(principal)]);
  const versions = datasets.flatMap((d) =>
    d.versions.map((v, i) => ({
      id: v.id,
      tenantId: d.tenantId,
      latest: i === 0,
      startMs: v.timeStart ? v.timeStart.getTime() : null,
      endMs: v.timeEnd ? v.timeEnd.getTime() + (v.intervalSeconds ?? 0) * 1000 : null,
      label: `${d.tenantId} / ${d.name} · v${v.version} · ${v.rowCount.toLocaleString("en")} rows${v.timeStart && v.timeEnd ? ` · ${v.timeStart.toISOString().slice(0, 10)} → ${v.timeEnd.toISOString().slice(0, 10)}` : ""}`,
    })),
  );
  const sites = new Set<string>();
  for (const d of datasets)
    for (const v of d.versions) for (const s of v.series as { site_id?: string }[]) if (s.site_id) sites.add(s.site_id);
  const tenants = [...new Set([...datasets.map((d) => d.tenantId), ...principal.tenantIds])].sort();
  for (const s of scopes) sites.add(s.siteId);
  return { tenants, versions, sites: [...sites].sort(), scopes };
}

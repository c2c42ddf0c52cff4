// The scorecard of the caller's tenants, filtered by site, period (when the changes took effect) and
// engine version; and the audit event of each export of it.
import "server-only";
import { z } from "zod";
import type { Principal } from "@/lib/access/principal";
import { recordAuditAlone } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import type { PredictedImpact } from "./compare";
import { listImplementedWithReports } from "./repo";
import { buildScorecard, type Scorecard } from "./scorecard-math";
import { comparisonOf } from "./serialize";

const text = z
  .string()
  .trim()
  .max(64)
  .optional()
  .transform((v) => v || undefined);
const day = z.iso
  .date()
  .optional()
  .or(z.literal("").transform(() => undefined));
export const ScorecardFilterSchema = z.object({
  tenant_id: text,
  site_id: text,
  engine: z
    .string()
    .trim()
    .max(140)
    .optional()
    .transform((v) => v || undefined)
    .meta({ description: "Engine version: model name and version, e.g. `pilot-reference reference-rules-1`" }),
  from: day.meta({ description: "Changes effective on or after this day (UTC)" }),
  to: day.meta({ description: "Changes effective before this day (UTC)" }),
});
export type ScorecardFilter = z.infer<typeof ScorecardFilterSchema>;

export type ScorecardResult = Scorecard & { filter: ScorecardFilter; engines: string[]; sites: string[] };

export async function getScorecard(principal: Principal, f: ScorecardFilter): Promise<ScorecardResult> {
  const rows = await listImplementedWithReports(principal, {
    tenantId: f.tenant_id,
    siteId: f.site_id,
    from: f.from ? new Date(`${f.from}T00:00:00Z`) : undefined,
    to: f.to ? new Date(`${f.to}T00:00:00Z`) : undefined,
  });
  const all = rows.map((impl) => ({
    recommendationId: impl.recommendationId,
    recId: impl.recommendation.recId,
    tenantId: impl.tenantId,
    siteId: impl.siteId,
    category: impl.recommendation.category,
    engine: `${impl.recommendation.modelName} ${impl.recommendation.modelVersion}`,
    effectiveAt: impl.effectiveAt!.toISOString(),
    comparison: comparisonOf(impl, impl.recommendation.expectedImpact as PredictedImpact, impl.recommendation.action)!,
  }));
  const items = f.engine ? all.filter((i) => i.engine === f.engine) : all;
  return {
    ...buildScorecard(items),
    filter: f,
    engines: [...new Set(all.map((i) => i.engine))].sort(),
    sites: [...new Set(all.map((i) => i.siteId).filter((s): s is string => s !== null))].sort(),
  };
}

export async function recordScorecardExport(
  principal: Principal,
  s: ScorecardResult,
  format: "csv" | "pdf",
  context: RequestContext,
): Promise<void> {
  await recordAuditAlone({
    actor: actorOf(principal),
    action: `export.${format}`,
    targetType: "scorecard",
    targetId: null,
    tenantId: s.filter.tenant_id ?? null,
    inputs: { filter: s.filter },
    outputs: { implemented: s.total.implemented, confirmed: s.total.confirmed, points: s.points.length },
    context,
  });
}

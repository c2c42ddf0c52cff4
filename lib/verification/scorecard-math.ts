// The engine's scorecard from its implemented recommendations: per engine version (model name and
// version) and category — how many were implemented, the share confirmed, total predicted vs total
// verified (independent uncertainties combined in quadrature: u = √Σuᵢ², GUM/JCGM 100 §5.1), the
// calibration points and the biggest misses. Totals count only recommendations with a report, so
// predicted and verified cover the same hours. Pure.
import type { Comparison } from "./compare";

export type ScorecardItem = {
  recommendationId: string;
  recId: string;
  tenantId: string;
  siteId: string | null;
  category: string;
  engine: string;
  effectiveAt: string;
  comparison: Comparison;
};

export type ScorecardGroup = {
  engine: string;
  category: string;
  implemented: number;
  verified: number;
  confirmed: number;
  notConfirmed: number;
  inconclusive: number;
  /** Confirmed ÷ implemented (a verification still waiting counts as not confirmed yet). */
  confirmedShare: number | null;
  predictedKwh: number;
  verifiedKwh: number;
  verifiedU90Kwh: number;
};

export type Scorecard = {
  groups: ScorecardGroup[];
  total: ScorecardGroup;
  items: ScorecardItem[];
  points: ScorecardItem[];
  misses: (ScorecardItem & { missKwh: number })[];
};

function group(engine: string, category: string, items: ScorecardItem[]): ScorecardGroup {
  const withReport = items.filter((i) => i.comparison.verified !== null);
  const count = (v: string) => items.filter((i) => i.comparison.verdict === v).length;
  const confirmed = count("confirmed");
  return {
    engine,
    category,
    implemented: items.length,
    verified: withReport.length,
    confirmed,
    notConfirmed: count("not_confirmed"),
    inconclusive: count("inconclusive"),
    confirmedShare: items.length > 0 ? confirmed / items.length : null,
    predictedKwh: withReport.reduce((s, i) => s + i.comparison.predicted.energyKwh, 0),
    verifiedKwh: withReport.reduce((s, i) => s + i.comparison.verified!.energyKwh, 0),
    verifiedU90Kwh: Math.sqrt(withReport.reduce((s, i) => s + i.comparison.verified!.energyU90Kwh ** 2, 0)),
  };
}

export function buildScorecard(items: ScorecardItem[], missesShown = 5): Scorecard {
  const keys = new Map<string, ScorecardItem[]>();
  for (const i of items) {
    const k = `${i.engine}\u0000${i.category}`;
    keys.set(k, [...(keys.get(k) ?? []), i]);
  }
  const groups = [...keys.entries()]
    .map(([k, list]) => {
      const [engine, category] = k.split("\u0000") as [string, string];
      return group(engine, category, list);
    })
    .sort((a, b) => a.engine.localeCompare(b.engine) || a.category.localeCompare(b.category));
  const points = items.filter((i) => i.comparison.verified !== null);
  const misses = points
    .map((i) => ({ ...i, missKwh: i.comparison.verified!.energyKwh - i.comparison.predicted.energyKwh }))
    .sort((a, b) => Math.abs(b.missKwh) - Math.abs(a.missKwh) || a.recommendationId.localeCompare(b.recommendationId))
    .slice(0, missesShown);
  return { groups, total: group("all", "all", items), items, points, misses };
}

// The engine's scorecard from its implemented recommendations: per engine version (model name and
// version) and category — how many were implemented, the share confirmed, total predicted vs total
// verified (independent uncertainties combined in quadrature: u = √Σuᵢ², GUM/JCGM 100 §5.1), the
// calibration points and the biggest misses. Totals and accuracy figures (predicted vs verified,
// the share confirmed, the misses) count only conclusive verifications — a report whose verdict is
// confirmed or not confirmed — so predicted and verified cover the same hours and an inconclusive
// one (no report yet, insufficient data, a band holding both zero and the prediction) never moves
// them; the inconclusive ones are counted and listed apart. Pure.
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
  /** Confirmed or not confirmed: the verifications the totals count. */
  conclusive: number;
  confirmed: number;
  notConfirmed: number;
  inconclusive: number;
  /** Confirmed ÷ conclusive (null without a conclusive verification). */
  confirmedShare: number | null;
  predictedKwh: number;
  verifiedKwh: number;
  verifiedU90Kwh: number;
};

export type Scorecard = {
  groups: ScorecardGroup[];
  total: ScorecardGroup;
  items: ScorecardItem[];
  /** The inconclusive ones (no report yet included), kept out of the totals. */
  inconclusive: ScorecardItem[];
  points: ScorecardItem[];
  misses: (ScorecardItem & { missKwh: number })[];
};

/** A verification the totals count: a report and a verdict other than inconclusive. */
export function isConclusive(i: ScorecardItem): boolean {
  return i.comparison.verified !== null && i.comparison.verdict !== "inconclusive";
}

function group(engine: string, category: string, items: ScorecardItem[]): ScorecardGroup {
  const conclusive = items.filter(isConclusive);
  const count = (v: string) => items.filter((i) => i.comparison.verdict === v).length;
  const confirmed = count("confirmed");
  return {
    engine,
    category,
    implemented: items.length,
    verified: items.filter((i) => i.comparison.verified !== null).length,
    conclusive: conclusive.length,
    confirmed,
    notConfirmed: count("not_confirmed"),
    inconclusive: count("inconclusive"),
    confirmedShare: conclusive.length > 0 ? confirmed / conclusive.length : null,
    predictedKwh: conclusive.reduce((s, i) => s + i.comparison.predicted.energyKwh, 0),
    verifiedKwh: conclusive.reduce((s, i) => s + i.comparison.verified!.energyKwh, 0),
    verifiedU90Kwh: Math.sqrt(conclusive.reduce((s, i) => s + i.comparison.verified!.energyU90Kwh ** 2, 0)),
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
    .filter(isConclusive)
    .map((i) => ({ ...i, missKwh: i.comparison.verified!.energyKwh - i.comparison.predicted.energyKwh }))
    .sort((a, b) => Math.abs(b.missKwh) - Math.abs(a.missKwh) || a.recommendationId.localeCompare(b.recommendationId))
    .slice(0, missesShown);
  return {
    groups,
    total: group("all", "all", items),
    items,
    inconclusive: items.filter((i) => !isConclusive(i)),
    points,
    misses,
  };
}

// Ranking and admission. Each candidate is scored on the request's objective weights; candidates
// are admitted best first, each at the largest size that still fits the shared thermal budget and
// max_risk_score with a net benefit, until top_k are in. Scoring: docs/BIOCORE-REFERENCE.md § "Ranking".
import { ENERGY_SCORE_FULL_SHARE, HOURS_PER_DAY } from "./constants";
import { clamp, round } from "./numbers";
import type { ThermalBudget } from "./thermal-budget";
import type { Candidate, Category, EngineInput, Evaluation } from "./types";

/** Tie-break between equal scores: protect the room first, then the larger energy levers. */
const CATEGORY_ORDER: Category[] = ["hotspot_mitigation", "cooling_setpoint", "fan_speed", "workload_shift"];

/** A limit the room already breaks comes first, whatever the weights; then the higher score. */
const urgency = (c: Category) => (c === "hotspot_mitigation" ? 0 : 1);

export type Admitted = { evaluation: Evaluation; score: number; risk: number };
export type Selection = { admitted: Admitted[]; riskScore: number; thermalRiseC: number; notes: string[] };

/** Facility power the energy objective measures savings against (fallbacks when it is absent). */
export function referenceKw(input: EngineInput): number {
  const kw = input.facilityKw ?? input.itKw ?? (input.chillerKw ?? 0) + (input.fanKw ?? 0);
  return kw > 0 ? kw : 1;
}

export function scoreOf(
  ev: Evaluation,
  input: EngineInput,
  budget: ThermalBudget | null,
): { score: number; risk: number } {
  const refKw = referenceKw(input);
  // Scored at the precision the answer reports, so a saving too small to show scores nothing.
  const energyShare = -round(ev.facilityKwDelta, 3) / refKw;
  const dailyCo2eKg = input.carbonGPerKwh ? (refKw * HOURS_PER_DAY * input.carbonGPerKwh) / 1000 : 0;
  const carbonShare =
    input.preferLowerCarbon && dailyCo2eKg > 0 ? -round(ev.co2eKgPerDayDelta, 3) / dailyCo2eKg : -Infinity;
  const energyScore = clamp(Math.max(energyShare, carbonShare) / ENERGY_SCORE_FULL_SHARE, -1, 1);
  const risk = ev.loading ? (budget ? budget.risk(ev.inletRiseC) : 1) : ev.ownRisk;
  const thermalScore = ev.loading ? -risk : ev.thermalScore;
  const w = input.weights;
  return {
    score: w.energy * energyScore + w.thermalRisk * thermalScore + w.workloadEfficiency * ev.workloadScore,
    risk,
  };
}

export function select(candidates: Candidate[], input: EngineInput, budget: ThermalBudget | null): Selection {
  const notes: string[] = [];
  const order = (c: Category) => CATEGORY_ORDER.indexOf(c);

  /** The largest size of a candidate that fits on top of usedRiseC of already admitted heat. */
  const fit = (c: Candidate, usedRiseC: number): Admitted | null => {
    for (const size of c.sizes) {
      const ev = c.evaluate(size);
      if (ev.loading) {
        if (
          !budget ||
          !budget.fits(usedRiseC + ev.inletRiseC) ||
          budget.risk(usedRiseC + ev.inletRiseC) > input.maxRiskScore
        )
          continue;
      } else if (ev.ownRisk > input.maxRiskScore) continue;
      const { score, risk } = scoreOf(ev, input, budget);
      // A limit already broken is always reported; anything else must be worth doing on the weights.
      if (score <= 0 && ev.category !== "hotspot_mitigation") continue;
      return { evaluation: ev, score, risk };
    }
    return null;
  };

  const ranked: { candidate: Candidate; score: number }[] = [];
  for (const c of candidates) {
    const alone = fit(c, 0);
    if (alone) ranked.push({ candidate: c, score: alone.score });
    else
      notes.push(
        `${c.category}: no size stays within max_risk_score ${input.maxRiskScore} with a net benefit on the objective weights`,
      );
  }
  ranked.sort(
    (a, b) =>
      urgency(a.candidate.category) - urgency(b.candidate.category) ||
      b.score - a.score ||
      order(a.candidate.category) - order(b.candidate.category),
  );

  const admitted: Admitted[] = [];
  let usedRiseC = 0;
  for (const { candidate } of ranked) {
    if (admitted.length >= input.topK) {
      notes.push(`${candidate.category}: left out by top_k ${input.topK}`);
      continue;
    }
    const a = fit(candidate, usedRiseC);
    if (!a) {
      notes.push(
        `${candidate.category}: no room left in the thermal budget or risk limit once better-ranked changes are counted`,
      );
      continue;
    }
    admitted.push(a);
    usedRiseC += a.evaluation.inletRiseC;
  }
  admitted.sort(
    (a, b) =>
      urgency(a.evaluation.category) - urgency(b.evaluation.category) ||
      b.score - a.score ||
      order(a.evaluation.category) - order(b.evaluation.category),
  );

  const thermalRisk = admitted.some((a) => a.evaluation.loading) && budget ? budget.risk(usedRiseC) : 0;
  const riskScore = Math.max(thermalRisk, ...admitted.filter((a) => !a.evaluation.loading).map((a) => a.risk), 0);
  return { admitted, riskScore, thermalRiseC: usedRiseC, notes };
}

// Applied vs suggested: when the value an operator applied differs from BioCore's suggestion
// (24 °C applied, 22.8 °C suggested), the prediction was for another change. It is scaled linearly
// by applied change ÷ suggested change, both measured from the action's current value, when both
// changes are non-zero and of the same sign; otherwise (no current or suggested value, no change
// applied, or a change the other way) the prediction does not apply to what was done and is flagged.
// docs/MV-METHOD.md "Applied vs suggested". Pure.

export type PredictedNumbers = { energyKwh: number; co2eKg: number; cost: number | null };

export type AppliedVsSuggested = {
  applied: number;
  suggested: number | null;
  current: number | null;
  units: string;
  /** The applied value differs from the suggestion. */
  differs: boolean;
  /** Applied change ÷ suggested change; null when the prediction does not apply. */
  factor: number | null;
  /** The prediction scaled by `factor` (differs and applicable), else null. */
  scaled: PredictedNumbers | null;
  /** Why the prediction does not apply to what was done; null when it does. */
  notApplicable: string | null;
  /** "applied 24 °C, suggested 22.8 °C" (or "applied as suggested: 22.8 °C"). */
  text: string;
};

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const EPSILON = 1e-9;

function show(v: number, units: string): string {
  const u = units === "C" || units === "degC" || units === "celsius" ? "°C" : units;
  return `${Number(v.toFixed(6)).toString()}${u ? (u === "%" ? " %" : ` ${u}`) : ""}`;
}

/** Null when no applied value was recorded. */
export function appliedVsSuggested(
  action: unknown,
  appliedValue: number | null | undefined,
  predicted: PredictedNumbers,
): AppliedVsSuggested | null {
  if (appliedValue === null || appliedValue === undefined || !Number.isFinite(appliedValue)) return null;
  const a = (action && typeof action === "object" ? action : {}) as Record<string, unknown>;
  const suggested = num(a.suggested);
  const current = num(a.current);
  const units = typeof a.units === "string" ? a.units : "";
  const base = { applied: appliedValue, suggested, current, units };
  if (suggested !== null && Math.abs(appliedValue - suggested) <= EPSILON)
    return {
      ...base,
      differs: false,
      factor: 1,
      scaled: null,
      notApplicable: null,
      text: `applied as suggested: ${show(appliedValue, units)}`,
    };
  const text = `applied ${show(appliedValue, units)}, suggested ${suggested === null ? "no value" : show(suggested, units)}`;
  const flagged = (why: string): AppliedVsSuggested => ({
    ...base,
    differs: true,
    factor: null,
    scaled: null,
    notApplicable: why,
    text,
  });
  if (suggested === null) return flagged("the recommendation suggests no value to compare with");
  if (current === null) return flagged("the recommendation names no current value to measure the changes from");
  const appliedChange = appliedValue - current;
  const suggestedChange = suggested - current;
  if (Math.abs(suggestedChange) <= EPSILON) return flagged("the suggestion changes nothing");
  if (Math.abs(appliedChange) <= EPSILON) return flagged("the applied value changes nothing");
  if (Math.sign(appliedChange) !== Math.sign(suggestedChange))
    return flagged("the change applied goes the other way from the suggestion");
  const factor = appliedChange / suggestedChange;
  return {
    ...base,
    differs: true,
    factor,
    scaled: {
      energyKwh: predicted.energyKwh * factor,
      co2eKg: predicted.co2eKg * factor,
      cost: predicted.cost === null ? null : predicted.cost * factor,
    },
    notApplicable: null,
    text,
  };
}

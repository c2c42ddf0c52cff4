// How a report states its conventions (spec.conventions): one line per convention, for the PDF,
// the CSV metadata and the study form. docs/MV-METHOD.md §15 has the table with the references.
import { LEGACY_CONVENTIONS, type Conventions } from "./spec";

type Key = keyof Conventions;

export const CONVENTION_TEXT: { [K in Key]: { label: string; options: Record<Conventions[K], string> } } = {
  degreeDays: {
    label: "Cooling degree-days (daily data)",
    options: {
      daily_mean: "from the daily mean temperature: max(0, T̄ − T_bp) (CalTRACK 2.0)",
      hourly: "from hourly exceedances: Σₕ max(0, Tₕ − T_bp) / 24",
    },
  },
  autocorrelation: {
    label: "Lag-1 autocorrelation of the residuals",
    options: {
      consecutive: "over calendar-consecutive intervals only (a missing or excluded interval breaks the chain)",
      adjacent_rows: "over adjacent rows (intervals missing in between treated as adjacent)",
    },
  },
  uncertaintyDf: {
    label: "Degrees of freedom of t (corrected uncertainty)",
    options: {
      n_effective_minus_p: "n′ − p (effective number of points)",
      n_minus_p: "n − p",
    },
  },
  priceWeighting: {
    label: "Price and carbon intensity from the data",
    options: {
      boundary_energy: "weighted by the measurement boundary's energy",
      facility_energy: "weighted by the facility's energy",
    },
  },
};

export const CONVENTION_KEYS = Object.keys(CONVENTION_TEXT) as Key[];

/** The conventions a stored report used: recorded in its results, or — for a report made before they were recorded — the legacy ones. */
export function reportConventions(results: { conventions?: Conventions }): {
  conventions: Conventions;
  recorded: boolean;
} {
  return results.conventions
    ? { conventions: results.conventions, recorded: true }
    : { conventions: LEGACY_CONVENTIONS, recorded: false };
}

/** [label, description] pairs. */
export function describeConventions(c: Conventions): [string, string][] {
  return CONVENTION_KEYS.map((k) => [
    CONVENTION_TEXT[k].label,
    (CONVENTION_TEXT[k].options as Record<string, string>)[c[k]]!,
  ]);
}

/** One line: "degreeDays=daily_mean; autocorrelation=consecutive; …". */
export function conventionsLine(c: Conventions): string {
  return CONVENTION_KEYS.map((k) => `${k}=${c[k]}`).join("; ");
}

// The verdict on one implemented recommendation: does the verified saving's 90 % band show a saving,
// and where does BioCore's prediction lie against it? Savings are positive (avoided kWh). The band
// is closed: a bound that touches zero or the prediction contains it. Pure.
import { formatKwh } from "@/lib/format";

export type Verdict = "confirmed" | "not_confirmed" | "inconclusive";
export type Position = "inside" | "above" | "below";

export type VerdictInput = {
  /** BioCore's predicted saving over the verified intervals, kWh (positive = saving). */
  predictedKwh: number;
  /** null: no report yet. */
  verified: {
    avoidedKwh: number;
    /** The calibrated 90 % band (docs/MV-METHOD.md §5.2). */
    u90Kwh: number;
    sufficient: boolean;
    sufficiencyNote?: string;
    /** Why the band is not calibrated (no calibrated band, or one the coverage simulation does not validate): never confirmed then. */
    uncalibrated?: string | null;
  } | null;
  /** The verification has closed (final report) or failed: no more data will be waited for. */
  final?: boolean;
};

export type VerdictResult = {
  verdict: Verdict;
  position: Position | null;
  band: { lowKwh: number; highKwh: number } | null;
  reasons: string[];
};

export function verdictOf(input: VerdictInput): VerdictResult {
  const v = input.verified;
  if (!v) {
    const reason = input.final
      ? "the verification ended without a report: the reporting period never had enough data under the data-sufficiency rules"
      : "no verification report yet: the reporting period does not have enough data under the data-sufficiency rules";
    return { verdict: "inconclusive", position: null, band: null, reasons: [reason] };
  }
  const low = v.avoidedKwh - v.u90Kwh;
  const high = v.avoidedKwh + v.u90Kwh;
  const band = { lowKwh: low, highKwh: high };
  const p = input.predictedKwh;
  const position: Position = p < low ? "below" : p > high ? "above" : "inside";
  const bandText = `the verified saving is ${formatKwh(v.avoidedKwh)} ± ${formatKwh(v.u90Kwh)} (90 %: ${formatKwh(low)} to ${formatKwh(high)})`;
  const predictionText =
    position === "inside"
      ? `the prediction (${formatKwh(p)}) lies inside the band`
      : `the prediction (${formatKwh(p)}) lies ${position} the band`;
  if (!v.sufficient) {
    const note = v.sufficiencyNote ? ` (${v.sufficiencyNote})` : "";
    // A closed verification will not see more data: saying "until … enough data" there contradicts "final report".
    const reason = input.final
      ? `the data is insufficient${note} and the verification has closed: this final report gives no verdict`
      : `the data is insufficient${note}: no verdict until the reporting period has enough data`;
    return { verdict: "inconclusive", position, band, reasons: [reason, bandText] };
  }
  if (v.uncalibrated) {
    // A band that covers random error only says "confirmed" for savings wrong by a fifth (model-form
    // error): without a calibrated band there is no verdict.
    return {
      verdict: "inconclusive",
      position,
      band,
      reasons: [`the savings band is not calibrated: ${v.uncalibrated}`, bandText],
    };
  }
  const containsZero = low <= 0 && high >= 0;
  if (containsZero && position === "inside") {
    return {
      verdict: "inconclusive",
      position,
      band,
      reasons: [
        `${bandText}, which contains both zero and the prediction (${formatKwh(p)}): the data cannot tell a saving from none`,
      ],
    };
  }
  if (low > 0)
    return {
      verdict: "confirmed",
      position,
      band,
      reasons: [`${bandText}, which excludes zero: a saving is confirmed`, predictionText],
    };
  if (high < 0)
    return {
      verdict: "not_confirmed",
      position,
      band,
      reasons: [`${bandText}: consumption rose, the band excludes zero on the wrong side`, predictionText],
    };
  return {
    verdict: "not_confirmed",
    position,
    band,
    reasons: [
      `${bandText}, which contains zero but not the prediction: the predicted saving did not materialise`,
      predictionText,
    ],
  };
}

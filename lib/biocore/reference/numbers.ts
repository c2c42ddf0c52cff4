// Rounding and formatting for the answer: fixed decimals, and never a negative zero.
import { TOLERANCE } from "./constants";

export function round(value: number, decimals: number): number {
  const r = Number(value.toFixed(decimals));
  return r === 0 ? 0 : r;
}

export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** A number for a narrative: fixed decimals, with an explicit sign when asked. */
export function fmt(value: number, decimals: number, signed = false): string {
  const text = round(value, decimals).toFixed(decimals);
  return signed && value > 0 ? `+${text}` : text;
}

/** The largest whole number of steps n with n / stepsPerUnit ≤ bound (within TOLERANCE; 0 when none fits). */
export function floorSteps(bound: number, stepsPerUnit: number): number {
  if (!(bound > 0)) return 0;
  let n = Math.floor((bound + TOLERANCE) * stepsPerUnit);
  while (n > 0 && n / stepsPerUnit > bound + TOLERANCE) n--;
  return n;
}

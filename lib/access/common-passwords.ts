// The most common passwords (zxcvbn-ts's frequency list from leaked password sets, ~49,000 entries,
// lower case), bundled with the app so the check works offline. Loaded once, on first use.
import { dictionary } from "@zxcvbn-ts/language-common";

let common: ReadonlySet<string> | undefined;

/** Whether `password`, in any letter case, is on the bundled list of common passwords. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}

// What validation reports: every problem at once, each with where (JSON Pointer), which layer of
// the contract it breaks, and why. Warnings never reject.
export type MassLayer = "structural" | "semantic" | "contract" | "business";

export type MassIssue = { pointer: string; layer: MassLayer; code: string; message: string };
export type MassWarning = { pointer: string; code: string; message: string };

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// The enterprise request through all four layers, then normalization and its hash.
import { jsonPointer } from "@/lib/http/problem";
import { checkEnterpriseRules, type RuleContext } from "./enterprise-rules";
import { EnterpriseStructureSchema } from "./enterprise-structure";
import { normalizeEnterprise } from "./normalize-enterprise";
import { payloadHash } from "./payload-hash";
import type { JsonObject, MassIssue, MassWarning } from "./types";

export type MassValidation =
  | { ok: true; normalized: JsonObject; payloadHash: string; warnings: MassWarning[] }
  | { ok: false; issues: MassIssue[]; warnings: MassWarning[] };

const LAYER_ORDER = { structural: 0, semantic: 1, contract: 2, business: 3 } as const;

export function validateEnterprise(body: unknown, ctx: RuleContext): MassValidation {
  const structural = EnterpriseStructureSchema.safeParse(body);
  const issues: MassIssue[] = [];
  if (!structural.success) {
    for (const i of structural.error.issues) {
      // An unknown key is reported at the key itself, one issue per key.
      if (i.code === "unrecognized_keys") {
        for (const key of i.keys)
          issues.push({
            pointer: jsonPointer([...i.path, key]),
            layer: "structural",
            code: "unknown_key",
            message: "is not part of the contract",
          });
      } else {
        const missing = i.code === "invalid_type" && i.message.includes("received undefined");
        issues.push({
          pointer: jsonPointer(i.path),
          layer: "structural",
          code: missing ? "required" : i.code,
          message: missing ? "is required" : i.message,
        });
      }
    }
  }
  const rules = checkEnterpriseRules(body, ctx);
  issues.push(...rules.issues);
  if (issues.length > 0 || !structural.success) {
    const unique = dedupe(issues).sort(
      (a, b) => LAYER_ORDER[a.layer] - LAYER_ORDER[b.layer] || a.pointer.localeCompare(b.pointer),
    );
    return { ok: false, issues: unique, warnings: rules.warnings };
  }
  const normalized = normalizeEnterprise(structural.data);
  return { ok: true, normalized, payloadHash: payloadHash(normalized), warnings: rules.warnings };
}

function dedupe(issues: MassIssue[]): MassIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.layer}|${i.pointer}|${i.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// One sentence about a chain verification, for the audit page, the PDF footer and the CLI.
import type { ChainVerification } from "./verify-chain";

export function verificationSummary(v: ChainVerification): string {
  const warnings = v.warnings.map((w) => ` Warning: ${w.message}.`).join("");
  if (v.ok)
    return `Chain intact: ${v.checked} events verified, head #${v.headSeq ?? "—"}${v.anchors.checked ? `, ${v.anchors.checked} anchors match` : ""}.${warnings}`;
  const parts: string[] = [];
  if (v.firstBroken) parts.push(`at event #${v.firstBroken.seq} (${v.firstBroken.id}): ${v.firstBroken.reason}`);
  for (const p of v.anchors.problems)
    parts.push(`anchor at position ${p.chain_pos} (${p.at}, ${p.source}): ${p.problem}`);
  if (v.sealRefused) parts.push(`sealer refused: ${v.sealRefused}`);
  return `Chain BROKEN ${parts.join("; ")}; ${v.checked} events before it verified.${warnings}`;
}

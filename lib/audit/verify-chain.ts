// Seals what is pending (unless the chain disagrees with an anchor), then walks the whole chain in
// order and names the first event whose stored hash, link or position is wrong (chain-walk.ts),
// and compares the chain with kept anchors: the verifier's and this process's last one.
import "server-only";
import {
  anchorSignatureValid,
  ChainRewrittenError,
  checkAnchors,
  lastAnchor,
  reportRewrite,
  type Anchor,
  type AnchorProblem,
} from "./anchor";
import { env } from "@/lib/env";
import { ChainWalk, type Broken } from "./chain-walk";
import { auditKey } from "./key";
import { countUnsealed, readChain, readChainBatch } from "./repo";
import { sealAuditChain } from "./seal-chain";

export type VerifyReason =
  | Broken["reason"]
  /** A kept anchor's position now holds another hash. */
  | "anchor_mismatch"
  /** A kept anchor's position is beyond the chain's head: events were removed from the end, or all of them. */
  | "truncated"
  /** A kept anchor's signature does not verify under this key (forged, damaged, or another key). */
  | "anchor_bad_signature"
  /** The sealer refused to seal onto a head that disagrees with an anchor. */
  | "chain_rewritten";

export type VerifyWarning = {
  code: "legacy_unkeyed" | "development_key" | "no_anchors";
  message: string;
  count?: number;
};

export type ChainVerification = {
  ok: boolean;
  checked: number;
  /** Insertion sequence number of the chain's first event (a chain restarted after a TRUNCATE begins late). */
  firstSeq: string | null;
  headSeq: string | null;
  headPos: string | null;
  headHash: string | null;
  /** Events sealed before the audit key existed (unkeyed SHA-256): verified, but provable by no key. */
  legacyUnkeyed: number;
  /** Events inserted after sealing began, not yet in the chain (normally 0 or a handful). */
  unsealed: number;
  firstBroken: null | { seq: string; id: string; chainPos: string; reason: Broken["reason"] };
  anchors: { checked: number; problems: AnchorProblem[] };
  reasons: VerifyReason[];
  warnings: VerifyWarning[];
  /** Set when the sealer refused to seal (the chain disagrees with an anchor). */
  sealRefused: string | null;
  verifiedAt: string;
};

const BATCH = 2_000;

/** `anchors`: anchors a verifier kept (API body, CLI file); this process's last anchor is always added. */
export async function verifyAuditChain(options: { anchors?: Anchor[] } = {}): Promise<ChainVerification> {
  const key = auditKey();
  const kept = options.anchors ?? [];
  let sealRefused: string | null = null;
  try {
    await sealAuditChain(
      50,
      kept.filter((a) => anchorSignatureValid(a, key)),
    );
  } catch (error) {
    if (!(error instanceof ChainRewrittenError)) throw error;
    reportRewrite(error, "verify");
    sealRefused = error.message;
  }

  const walk = new ChainWalk(key);
  let firstBroken: Broken | null = null;
  let afterPos: bigint | null = null;
  outer: for (;;) {
    const rows = await readChainBatch(afterPos, BATCH);
    for (const row of rows) {
      firstBroken = walk.step(row);
      if (firstBroken) break outer;
    }
    if (rows.length < BATCH) break;
    afterPos = rows[rows.length - 1]!.chainPos;
  }

  const own = lastAnchor();
  const toCheck = [
    ...kept.map((anchor) => ({ anchor, source: "request" as const })),
    ...(own ? [{ anchor: own, source: "server" as const }] : []),
  ];
  const head = await readChain().head();
  const problems = await checkAnchors(toCheck, head?.chainPos ?? null);

  const reasons = new Set<VerifyReason>();
  if (firstBroken) reasons.add(firstBroken.reason);
  for (const p of problems)
    reasons.add(
      p.problem === "hash_differs"
        ? "anchor_mismatch"
        : p.problem === "truncated"
          ? "truncated"
          : "anchor_bad_signature",
    );
  if (sealRefused) reasons.add("chain_rewritten");

  const warnings: VerifyWarning[] = [];
  if (walk.legacyUnkeyed > 0) {
    warnings.push({
      code: "legacy_unkeyed",
      count: walk.legacyUnkeyed,
      message: `${walk.legacyUnkeyed} events were sealed before the audit key existed (unkeyed SHA-256): their hashes can be recomputed by anyone, only anchors kept from that time protect them`,
    });
  }
  if (env().auditKeyIsDefault) {
    warnings.push({
      code: "development_key",
      message:
        "the chain is keyed with the public development key (AUDIT_HMAC_KEY unset): it proves nothing against tampering",
    });
  }
  if (toCheck.length === 0 && walk.checked > 0) {
    warnings.push({
      code: "no_anchors",
      message:
        "no anchor to compare with: a chain cut back or replaced as a whole would verify; keep anchors (GET /api/v1/audit/checkpoint)",
    });
  }

  return {
    ok: reasons.size === 0,
    checked: walk.checked,
    firstSeq: walk.firstSeq,
    headSeq: walk.headSeq,
    headPos: walk.headPos?.toString() ?? null,
    headHash: walk.headHash,
    legacyUnkeyed: walk.legacyUnkeyed,
    unsealed: await countUnsealed(),
    firstBroken: firstBroken
      ? { seq: firstBroken.seq, id: firstBroken.id, chainPos: firstBroken.chainPos, reason: firstBroken.reason }
      : null,
    anchors: { checked: toCheck.length, problems },
    reasons: [...reasons],
    warnings,
    sealRefused,
    verifiedAt: new Date().toISOString(),
  };
}

// Anchors: the chain's head, signed, kept outside the database. A keyed chain stops someone without
// the key from re-chaining edited rows; it does not stop the application itself (which holds the
// key) from sealing over a head that someone cut back or nulled, nor does it notice a TRUNCATE
// followed by a fresh chain. An anchor {chain_pos, hash, count, at} signed with the key does: a
// verifier that kept it can later ask "is this still the hash at that position?", and the sealer
// refuses to seal onto a head that disagrees with the last anchor it wrote or handed out.
//
// Where anchors go: one structured log line each ("audit anchor", field `audit_anchor`), appended
// as one JSON line to AUDIT_ANCHOR_FILE when set, and GET /api/v1/audit/checkpoint for an external
// verifier to fetch and keep.
import "server-only";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { canonicalJson } from "./canonical";
import { auditKey } from "./key";
import { countSealed, hashesAt, readChain, type ChainReader } from "./repo";

export type Anchor = { chain_pos: string; hash: string; count: number; at: string; sig: string };
type Unsigned = Omit<Anchor, "sig">;

function signature(a: Unsigned, key: string | Buffer): string {
  const body = canonicalJson({
    kind: "pib-audit-anchor",
    v: 1,
    chain_pos: a.chain_pos,
    hash: a.hash,
    count: a.count,
    at: a.at,
  });
  return createHmac("sha256", key).update(body).digest("hex");
}

export function signAnchor(a: Unsigned, key: string | Buffer = auditKey()): Anchor {
  return { chain_pos: a.chain_pos, hash: a.hash, count: a.count, at: a.at, sig: signature(a, key) };
}

export function anchorSignatureValid(a: Anchor, key: string | Buffer = auditKey()): boolean {
  const expected = Buffer.from(signature(a, key), "hex");
  const given = Buffer.from(a.sig, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The sealer found the chain disagreeing with an anchor: someone rewrote or cut the chain. */
export class ChainRewrittenError extends Error {
  constructor(
    readonly anchor: Anchor,
    readonly headPos: string | null,
    readonly hashAtAnchor: string | null,
  ) {
    super(
      headPos === null || BigInt(headPos) < BigInt(anchor.chain_pos)
        ? `audit chain cut below its anchor: the head is at ${headPos ?? "nothing"} but position ${anchor.chain_pos} was anchored at ${anchor.at}`
        : `audit chain rewritten: the hash at position ${anchor.chain_pos} is not the one anchored at ${anchor.at}`,
    );
    this.name = "ChainRewrittenError";
  }
}

// The last anchor this process wrote or handed out (or found in AUDIT_ANCHOR_FILE at start). Kept
// on globalThis: route bundles and the instrumentation hook each get their own module instance.
const state = globalThis as unknown as {
  pibLastAnchor?: Anchor | null;
  pibLastAnchorAt?: number;
  pibAnchorFileRead?: boolean;
};

export function lastAnchor(): Anchor | null {
  if (!state.pibAnchorFileRead) {
    state.pibAnchorFileRead = true;
    const file = env().AUDIT_ANCHOR_FILE;
    if (file && existsSync(file)) {
      const found = readAnchorText(readFileSync(file, "utf8")).filter((a) => anchorSignatureValid(a));
      const latest = found.reduce<Anchor | null>(
        (best, a) => (!best || BigInt(a.chain_pos) >= BigInt(best.chain_pos) ? a : best),
        null,
      );
      if (latest && (!state.pibLastAnchor || BigInt(latest.chain_pos) > BigInt(state.pibLastAnchor.chain_pos)))
        state.pibLastAnchor = latest;
    }
  }
  return state.pibLastAnchor ?? null;
}

/** Anchors in a text: JSON lines of anchors or of log lines carrying `audit_anchor`, or a JSON array. */
export function readAnchorText(text: string): Anchor[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) return (JSON.parse(trimmed) as unknown[]).flatMap(asAnchor);
  const out: Anchor[] = [];
  for (const line of trimmed.split("\n")) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      out.push(...asAnchor(value && typeof value === "object" && "audit_anchor" in value ? value.audit_anchor : value));
    } catch {
      // Not JSON (a plain log line between anchors): not an anchor.
    }
  }
  return out;
}

function asAnchor(v: unknown): Anchor[] {
  if (!v || typeof v !== "object") return [];
  const a = v as Record<string, unknown>;
  const ok =
    typeof a.chain_pos === "string" &&
    /^[1-9][0-9]{0,18}$/.test(a.chain_pos) &&
    typeof a.hash === "string" &&
    /^[0-9a-f]{64}$/.test(a.hash) &&
    typeof a.count === "number" &&
    typeof a.at === "string" &&
    typeof a.sig === "string" &&
    /^[0-9a-f]{64}$/.test(a.sig);
  return ok
    ? [
        {
          chain_pos: a.chain_pos as string,
          hash: a.hash as string,
          count: a.count as number,
          at: a.at as string,
          sig: a.sig as string,
        },
      ]
    : [];
}

/**
 * Refuses (ChainRewrittenError) when the chain no longer holds `anchor`: its head is below the
 * anchored position, or the hash there differs. Sealing onto such a head would re-chain edited or
 * replaced events with valid keyed hashes; anchoring it would bless the rewrite.
 */
export async function assertChainHolds(chain: ChainReader, anchor: Anchor | null): Promise<void> {
  if (!anchor) return;
  const head = await chain.head();
  const pos = BigInt(anchor.chain_pos);
  if (!head || head.chainPos < pos) throw new ChainRewrittenError(anchor, head?.chainPos.toString() ?? null, null);
  const hash = await chain.hashAt(pos);
  if (hash !== anchor.hash) throw new ChainRewrittenError(anchor, head.chainPos.toString(), hash);
}

/** Logs the refusal loudly, at most once a minute for the same anchor and head. */
export function reportRewrite(error: ChainRewrittenError, by: string): void {
  const s = globalThis as unknown as { pibRewriteLogged?: { key: string; at: number } };
  const key = `${error.anchor.chain_pos}:${error.headPos}:${error.hashAtAnchor}`;
  if (s.pibRewriteLogged?.key === key && Date.now() - s.pibRewriteLogged.at < 60_000) return;
  s.pibRewriteLogged = { key, at: Date.now() };
  logger.error("AUDIT CHAIN REWRITTEN: refusing to seal or anchor over it", {
    by,
    detail: error.message,
    anchor: error.anchor,
    head_pos: error.headPos,
    hash_at_anchor: error.hashAtAnchor,
    action_needed:
      "compare the chain with kept anchors (npm run audit:verify -- --anchors FILE); see docs/AUDIT-CHAIN.md",
  });
}

/**
 * Signs the chain's current head, after checking it still holds the last anchor, and records it
 * as this process's last anchor (log line, AUDIT_ANCHOR_FILE). Null when the chain is empty.
 */
export async function anchorHead(): Promise<Anchor | null> {
  const chain = readChain();
  await assertChainHolds(chain, lastAnchor());
  const head = await chain.head();
  if (!head) return null;
  const anchor = signAnchor({
    chain_pos: head.chainPos.toString(),
    hash: head.hash,
    count: await countSealed(),
    at: new Date().toISOString(),
  });
  recordAnchor(anchor);
  return anchor;
}

function recordAnchor(anchor: Anchor): void {
  const previous = lastAnchor();
  if (!previous || BigInt(anchor.chain_pos) >= BigInt(previous.chain_pos)) state.pibLastAnchor = anchor;
  state.pibLastAnchorAt = Date.now();
  logger.info("audit anchor", { audit_anchor: anchor });
  const file = env().AUDIT_ANCHOR_FILE;
  if (file) {
    try {
      appendFileSync(file, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
    } catch (error) {
      logger.error("could not append the audit anchor to AUDIT_ANCHOR_FILE", { file, error });
    }
  }
}

/** The sealer's periodic anchor: every AUDIT_ANCHOR_INTERVAL_MS (the first one soon after start). */
export async function anchorIfDue(now = Date.now()): Promise<Anchor | null> {
  if (state.pibLastAnchorAt !== undefined && now - state.pibLastAnchorAt < env().AUDIT_ANCHOR_INTERVAL_MS) return null;
  // An empty chain leaves the time unset: the first event sealed is anchored at once.
  return anchorHead();
}

export type AnchorProblem = {
  chain_pos: string;
  anchored_hash: string;
  at: string;
  source: "request" | "server";
  problem: "hash_differs" | "truncated" | "bad_signature";
  /** The hash stored at that position today (null when nothing is there). */
  actual_hash: string | null;
};

/** Compares kept anchors with the chain as it is: each anchor that no longer matches is a problem. */
export async function checkAnchors(
  anchors: { anchor: Anchor; source: "request" | "server" }[],
  headPos: bigint | null,
): Promise<AnchorProblem[]> {
  const stored = await hashesAt([...new Set(anchors.map((a) => BigInt(a.anchor.chain_pos)))]);
  const problems: AnchorProblem[] = [];
  for (const { anchor, source } of anchors) {
    const pos = BigInt(anchor.chain_pos);
    const actual = stored.get(pos) ?? null;
    const base = {
      chain_pos: anchor.chain_pos,
      anchored_hash: anchor.hash,
      at: anchor.at,
      source,
      actual_hash: actual,
    };
    if (!anchorSignatureValid(anchor)) problems.push({ ...base, problem: "bad_signature" });
    else if (headPos === null || pos > headPos) problems.push({ ...base, problem: "truncated" });
    else if (actual !== anchor.hash) problems.push({ ...base, problem: "hash_differs" });
  }
  return problems;
}

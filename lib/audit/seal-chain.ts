// The sealer links unsealed audit events into the hash chain, in batches, one sealer at a time
// across all replicas. Each event's hash is an HMAC under the audit key over the previous event's
// hash and its own canonical serialization (event-hash.ts), as read back from the database.
//
// Before writing, it checks that the chain still holds the newest anchor it knows (anchor.ts): if
// someone cut the chain back or nulled hashes to have their edits re-chained, it refuses
// (ChainRewrittenError) rather than sealing over the rewrite with valid hashes.
import "server-only";
import { assertChainHolds, lastAnchor, type Anchor } from "./anchor";
import { GENESIS_HASH, hashEvent } from "./event-hash";
import { auditKey } from "./key";
import { sealBatch } from "./repo";

const BATCH = 2_000;

/**
 * Seals every event inserted so far (and any that arrive meanwhile); returns how many. `anchors`:
 * further signature-checked anchors the chain must hold (a verifier's), besides this process's last.
 */
export async function sealAuditChain(maxBatches = 50, anchors: Anchor[] = []): Promise<number> {
  const key = auditKey();
  const newest = [lastAnchor(), ...anchors].reduce<Anchor | null>(
    (best, a) => (a && (!best || BigInt(a.chain_pos) > BigInt(best.chain_pos)) ? a : best),
    null,
  );
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const sealed = await sealBatch(
      BATCH,
      (head, rows) => {
        let prevHash = head?.hash ?? GENESIS_HASH;
        let chainPos = head?.chainPos ?? 0n;
        return rows.map((row) => {
          const { seq, chainPos: _pos, prevHash: _prev, hash: _hash, ...fields } = row;
          chainPos += 1n;
          const hash = hashEvent(prevHash, fields, key);
          const link = { seq, chainPos, prevHash, hash };
          prevHash = hash;
          return link;
        });
      },
      (chain) => assertChainHolds(chain, newest),
    );
    total += sealed;
    if (sealed < BATCH) break;
  }
  return total;
}

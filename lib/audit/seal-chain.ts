// The sealer links unsealed audit events into the hash chain, in batches, one sealer at a time
// across all replicas. Each event's hash covers the previous event's hash and its own canonical
// serialization (event-hash.ts), as read back from the database.
import "server-only";
import { GENESIS_HASH, hashEvent } from "./event-hash";
import { sealBatch } from "./repo";

const BATCH = 2_000;

/** Seals every event inserted so far (and any that arrive meanwhile); returns how many. */
export async function sealAuditChain(maxBatches = 50): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const sealed = await sealBatch(BATCH, (head, rows) => {
      let prevHash = head?.hash ?? GENESIS_HASH;
      let chainPos = head?.chainPos ?? 0n;
      return rows.map((row) => {
        const { seq, chainPos: _pos, prevHash: _prev, hash: _hash, ...fields } = row;
        chainPos += 1n;
        const hash = hashEvent(prevHash, fields);
        const link = { seq, chainPos, prevHash, hash };
        prevHash = hash;
        return link;
      });
    });
    total += sealed;
    if (sealed < BATCH) break;
  }
  return total;
}

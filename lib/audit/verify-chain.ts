// Seals what is pending, then walks the whole chain in order and names the first event whose
// stored hash or link is wrong.
import "server-only";
import { GENESIS_HASH, hashEvent } from "./event-hash";
import { countUnsealed, readChainBatch } from "./repo";
import { sealAuditChain } from "./seal-chain";

export type ChainVerification = {
  ok: boolean;
  checked: number;
  headSeq: string | null;
  headHash: string | null;
  /** Events inserted after sealing began, not yet in the chain (normally 0 or a handful). */
  unsealed: number;
  firstBroken: null | { seq: string; id: string; reason: "hash_mismatch" | "link_mismatch" };
  verifiedAt: string;
};

const BATCH = 2_000;

export async function verifyAuditChain(): Promise<ChainVerification> {
  await sealAuditChain();
  let prevHash = GENESIS_HASH;
  let expectedPos = 1n;
  let afterPos: bigint | null = null;
  let checked = 0;
  let headSeq: string | null = null;
  const result = (firstBroken: ChainVerification["firstBroken"], unsealed: number): ChainVerification => ({
    ok: firstBroken === null,
    checked,
    headSeq,
    headHash: checked === 0 ? null : prevHash,
    unsealed,
    firstBroken,
    verifiedAt: new Date().toISOString(),
  });
  for (;;) {
    const rows = await readChainBatch(afterPos, BATCH);
    for (const row of rows) {
      const { seq, chainPos, prevHash: storedPrev, hash, ...fields } = row;
      // A gap in positions or a wrong back-link means events were removed or reordered.
      if (chainPos !== expectedPos || storedPrev !== prevHash) {
        return result({ seq: seq.toString(), id: row.id, reason: "link_mismatch" }, await countUnsealed());
      }
      if (hashEvent(prevHash, fields) !== hash) {
        return result({ seq: seq.toString(), id: row.id, reason: "hash_mismatch" }, await countUnsealed());
      }
      prevHash = hash;
      headSeq = seq.toString();
      expectedPos += 1n;
      checked += 1;
    }
    if (rows.length < BATCH) break;
    afterPos = rows[rows.length - 1]!.chainPos;
  }
  return result(null, await countUnsealed());
}

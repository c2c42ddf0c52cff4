// Walks the whole chain in order and names the first event whose stored hash or link is wrong.
import "server-only";
import { GENESIS_HASH, hashEvent } from "./event-hash";
import { readChainBatch } from "./repo";

export type ChainVerification = {
  ok: boolean;
  checked: number;
  headSeq: string | null;
  headHash: string | null;
  firstBroken: null | { seq: string; id: string; reason: "hash_mismatch" | "link_mismatch" };
  verifiedAt: string;
};

const BATCH = 2_000;

export async function verifyAuditChain(): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let afterSeq: bigint | null = null;
  let checked = 0;
  let headSeq: string | null = null;
  for (;;) {
    const rows = await readChainBatch(afterSeq, BATCH);
    for (const row of rows) {
      const { seq, prevHash: storedPrev, hash, ...fields } = row;
      if (storedPrev !== prevHash) return broken(row.seq, row.id, "link_mismatch", checked, headSeq, prevHash);
      if (hashEvent(prevHash, fields) !== hash) return broken(seq, row.id, "hash_mismatch", checked, headSeq, prevHash);
      prevHash = hash;
      headSeq = seq.toString();
      checked += 1;
    }
    if (rows.length < BATCH) break;
    afterSeq = rows[rows.length - 1]!.seq;
  }
  return {
    ok: true,
    checked,
    headSeq,
    headHash: checked === 0 ? null : prevHash,
    firstBroken: null,
    verifiedAt: new Date().toISOString(),
  };
}

function broken(
  seq: bigint,
  id: string,
  reason: "hash_mismatch" | "link_mismatch",
  checked: number,
  headSeq: string | null,
  headHash: string,
): ChainVerification {
  return {
    ok: false,
    checked,
    headSeq,
    headHash,
    firstBroken: { seq: seq.toString(), id, reason },
    verifiedAt: new Date().toISOString(),
  };
}

// The rules a sealed chain must follow, one event at a time, apart from the database so they can
// be tested on their own. The verifier (verify-chain.ts) feeds it every sealed event in chain order.
import { GENESIS_HASH, hashEvent, hashEventV1, type HashedFields } from "./event-hash";

export type BreakReason =
  /** The stored hash is neither the keyed hash (under this key) nor, before any keyed event, the unkeyed one. */
  | "hash_mismatch"
  /** The stored back-link is not the previous event's hash. */
  | "link_mismatch"
  /** Chain positions skip: events were removed. */
  | "gap"
  /** The chain does not begin at position 1: its beginning was removed, or it was restarted. */
  | "restart"
  /** An event carries the unkeyed (version 1) hash after a keyed one: forged by someone without the key. */
  | "unkeyed_after_keyed";

export type ChainRow = HashedFields & {
  seq: bigint;
  chainPos: bigint | null;
  prevHash: string | null;
  hash: string | null;
};

export type Broken = { seq: string; id: string; chainPos: string; reason: BreakReason };

export class ChainWalk {
  prevHash = GENESIS_HASH;
  expectedPos = 1n;
  checked = 0;
  legacyUnkeyed = 0;
  keyedSeen = false;
  firstSeq: string | null = null;
  headSeq: string | null = null;
  headPos: bigint | null = null;

  constructor(private readonly key: string | Buffer) {}

  /** Checks the next event; returns why it breaks the chain, or null and advances. */
  step(row: ChainRow): Broken | null {
    const { seq, chainPos, prevHash: storedPrev, hash, ...fields } = row;
    const broken = (reason: BreakReason): Broken => ({
      seq: seq.toString(),
      id: row.id,
      chainPos: String(chainPos),
      reason,
    });
    if (this.firstSeq === null) this.firstSeq = seq.toString();
    if (chainPos === null || hash === null) return broken("link_mismatch");
    if (chainPos !== this.expectedPos) return broken(this.checked === 0 ? "restart" : "gap");
    if (storedPrev !== this.prevHash) return broken("link_mismatch");
    if (hashEvent(this.prevHash, fields, this.key) === hash) {
      this.keyedSeen = true;
    } else if (hashEventV1(this.prevHash, fields) === hash) {
      if (this.keyedSeen) return broken("unkeyed_after_keyed");
      this.legacyUnkeyed += 1;
    } else {
      return broken("hash_mismatch");
    }
    this.prevHash = hash;
    this.headSeq = seq.toString();
    this.headPos = chainPos;
    this.expectedPos += 1n;
    this.checked += 1;
    return null;
  }

  get headHash(): string | null {
    return this.checked === 0 ? null : this.prevHash;
  }
}

import { describe, expect, it } from "vitest";
import { ChainWalk, type ChainRow } from "./chain-walk";
import { GENESIS_HASH, hashEvent, hashEventV1, type HashedFields } from "./event-hash";

const KEY = "chain-walk-test-key-0123456789abcdef";

function fields(n: number): HashedFields {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    occurredAt: new Date(Date.UTC(2026, 10, 23, 10, 0, n)),
    actorType: "system",
    actorId: null,
    actorLabel: null,
    tenantId: null,
    action: `test.${n}`,
    targetType: null,
    targetId: null,
    inputs: { n },
    outputs: null,
    result: "ok",
    datasetVersion: null,
    biocoreVersion: null,
    appVersion: "test",
    gitCommit: null,
    traceId: null,
    spanId: null,
    requestId: null,
    ip: null,
    userAgent: null,
  };
}

/** A chain of `n` events; `unkeyed` says which positions (1-based) carry the version-1 hash. */
function chain(n: number, unkeyed: (pos: number) => boolean = () => false, key = KEY): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let pos = 1; pos <= n; pos++) {
    const f = fields(pos);
    const hash = unkeyed(pos) ? hashEventV1(prev, f) : hashEvent(prev, f, key);
    rows.push({ ...f, seq: BigInt(pos + 100), chainPos: BigInt(pos), prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

function walk(rows: ChainRow[]) {
  const w = new ChainWalk(KEY);
  for (const row of rows) {
    const broken = w.step(row);
    if (broken) return { w, broken };
  }
  return { w, broken: null };
}

describe("ChainWalk", () => {
  it("accepts an intact keyed chain", () => {
    const { w, broken } = walk(chain(5));
    expect(broken).toBeNull();
    expect(w.checked).toBe(5);
    expect(w.legacyUnkeyed).toBe(0);
    expect(w.firstSeq).toBe("101");
  });

  it("accepts events sealed before the key as a legacy unkeyed prefix, and counts them", () => {
    const { w, broken } = walk(chain(6, (pos) => pos <= 3));
    expect(broken).toBeNull();
    expect(w.legacyUnkeyed).toBe(3);
    expect(w.checked).toBe(6);
  });

  it("fails an unkeyed event after a keyed one (someone without the key re-chained from there)", () => {
    const { broken } = walk(chain(6, (pos) => pos === 1 || pos >= 4));
    expect(broken).toMatchObject({ chainPos: "4", reason: "unkeyed_after_keyed" });
  });

  it("fails a chain re-sealed with another key", () => {
    const rows = chain(3)
      .slice(0, 1)
      .concat(chain(3, () => false, "another-key-another-key-another-key").slice(1));
    // Same events, same links shape, hashed under the wrong key from position 2 on.
    rows[1]!.prevHash = rows[0]!.hash;
    expect(walk(rows).broken).toMatchObject({ chainPos: "2", reason: "hash_mismatch" });
  });

  it("names a gap in chain positions (a removed event) as a gap", () => {
    const rows = chain(5);
    rows.splice(2, 1);
    expect(walk(rows).broken).toMatchObject({ chainPos: "4", seq: "104", reason: "gap" });
  });

  it("names a chain that does not begin at position 1 as a restart, with its first sequence number", () => {
    const { w, broken } = walk(chain(5).slice(2));
    expect(broken).toMatchObject({ chainPos: "3", reason: "restart" });
    expect(w.firstSeq).toBe("103");
  });

  it("names a wrong back-link as a link mismatch", () => {
    const rows = chain(3);
    rows[2]!.prevHash = "f".repeat(64);
    expect(walk(rows).broken).toMatchObject({ chainPos: "3", reason: "link_mismatch" });
  });
});

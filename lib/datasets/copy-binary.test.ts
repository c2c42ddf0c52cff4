// The binary COPY encoding of observation rows, byte by byte (the integration tests load it into
// PostgreSQL; here the layout, the timestamp arithmetic at its edges, nulls and integers).
import { describe, expect, it } from "vitest";
import { BinaryRowEncoder, COPY_BINARY_HEADER, uuidField } from "./copy-binary";

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

function fields(bytes: Buffer): Buffer[] {
  const count = bytes.readInt16BE(0);
  const out: Buffer[] = [];
  let p = 2;
  for (let i = 0; i < count; i++) {
    const length = bytes.readInt32BE(p);
    p += 4;
    if (length === -1) out.push(Buffer.alloc(0));
    else {
      out.push(bytes.subarray(p, p + length));
      p += length;
    }
  }
  expect(p).toBe(bytes.length);
  return out;
}

const micros = (field: Buffer) => field.readBigInt64BE(0);

describe("binary COPY rows", () => {
  it("starts with PostgreSQL's signature", () => {
    expect(COPY_BINARY_HEADER.subarray(0, 11)).toEqual(Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"));
    expect(COPY_BINARY_HEADER.length).toBe(19);
  });

  it("lays out ids, timestamps, the interval, fixed fields and signals (float8, int4, null)", () => {
    const fixed = uuidField("99814367-8e82-415c-9d1e-87f52ea5e29b");
    const encoder = new BinaryRowEncoder("default", fixed, 1, [false, true, false]);
    const ts = Date.UTC(2025, 10, 1, 0, 15);
    encoder.add({
      ids: { site_id: "münchen", facility_id: null, cluster_id: "c01", zone_id: null },
      ts,
      intervalSeconds: 900,
      values: [691.8, 3, null],
    });
    const f = fields(encoder.take());
    expect(f).toHaveLength(12);
    expect(f[0]!.toString()).toBe("default");
    expect(f[1]!.toString()).toBe("münchen");
    expect(f[2]!.length).toBe(0);
    expect(f[3]!.toString()).toBe("c01");
    expect(micros(f[5]!)).toBe(BigInt(ts - PG_EPOCH_MS) * 1000n);
    expect(micros(f[6]!)).toBe(BigInt(ts + 900_000 - PG_EPOCH_MS) * 1000n);
    expect(f[7]!.readInt32BE(0)).toBe(900);
    expect(f[8]!.toString("hex")).toBe("998143678e82415c9d1e87f52ea5e29b");
    expect(f[9]!.readDoubleBE(0)).toBe(691.8);
    expect(f[10]!.readInt32BE(0)).toBe(3);
    expect(f[11]!.length).toBe(0);
    expect(encoder.size).toBe(0);
  });

  it("encodes timestamps before 2000 and far from it exactly", () => {
    const encoder = new BinaryRowEncoder("t", uuidField("00000000-0000-0000-0000-000000000001"), 1, []);
    const cases = [
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(1999, 11, 31, 23, 59, 59, 1),
      PG_EPOCH_MS,
      Date.UTC(9999, 11, 31, 23, 45),
      -8.64e15 + 1,
      8.64e15 - 3_600_000,
    ];
    for (const ts of cases)
      encoder.add({
        ids: { site_id: "s", facility_id: null, cluster_id: null, zone_id: null },
        ts,
        intervalSeconds: 1,
        values: [],
      });
    const bytes = encoder.take();
    let p = 0;
    for (const ts of cases) {
      const length = 2 + 4 + 1 + 4 + 1 + 3 * 4 + 2 * 12 + 8 + 20;
      const f = fields(bytes.subarray(p, p + length));
      expect(micros(f[5]!)).toBe(BigInt(ts - PG_EPOCH_MS) * 1000n);
      expect(micros(f[6]!)).toBe(BigInt(ts + 1000 - PG_EPOCH_MS) * 1000n);
      p += length;
    }
    expect(p).toBe(bytes.length);
  });

  it("refuses a malformed version id", () => {
    expect(() => uuidField("not-a-uuid")).toThrow();
  });
});

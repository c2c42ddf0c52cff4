// Observation rows in PostgreSQL's binary COPY format: the doubles, timestamps and ids go in as
// the bytes the server stores, so neither side formats or parses numbers and dates as text (which
// cost the server about a third of a bare COPY's time and the loader its number-to-text calls).
// Format: https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4

/** Signature, flags (no OIDs) and header-extension length. */
export const COPY_BINARY_HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** A field count of -1 ends the data. */
export const COPY_BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;
/** Enough for any one row: ids are at most 64 characters (256 UTF-8 bytes) and numbers 8 bytes. */
const ROW_BOUND_FIXED = 4 * 5 * (4 + 1024);

export type BinaryRow = {
  ids: { site_id: string | null; facility_id: string | null; cluster_id: string | null; zone_id: string | null };
  ts: number;
  intervalSeconds: number;
  values: (number | null)[];
};

/** A text field: its length, then its UTF-8 bytes. */
function textField(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  const field = Buffer.allocUnsafe(4 + bytes.length);
  field.writeInt32BE(bytes.length, 0);
  bytes.copy(field, 4);
  return field;
}

/** A uuid field (16 bytes). */
export function uuidField(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a uuid: ${uuid}`);
  const field = Buffer.allocUnsafe(20);
  field.writeInt32BE(16, 0);
  Buffer.from(hex, "hex").copy(field, 4);
  return field;
}

/**
 * Encodes observation rows for `copy observation (tenant_id, site_id, facility_id, cluster_id,
 * zone_id, interval_start, interval_end, interval_seconds, <fixed…>, <signals…>) from stdin with
 * (format binary)` into buffers of about `chunkBytes`; `fixed` are fields already encoded (the
 * version's uuid, the currency). Signals are float8, or int4 where `integer[i]`.
 */
export class BinaryRowEncoder {
  private buf: Buffer;
  private view: DataView;
  private pos = 0;
  private readonly fields: number;
  private readonly tenant: Buffer;
  private readonly texts = new Map<string, Buffer>();
  private readonly rowBound: number;

  constructor(
    tenantId: string,
    private readonly fixed: Buffer,
    fixedCount: number,
    private readonly integer: readonly boolean[],
    private readonly chunkBytes = 1 << 18,
  ) {
    this.tenant = textField(tenantId);
    this.fields = 8 + fixedCount + integer.length;
    this.rowBound = ROW_BOUND_FIXED + this.tenant.length + fixed.length + 2 + 4 * 3 + 16 + 4 + 12 * integer.length;
    this.buf = Buffer.allocUnsafe(chunkBytes + this.rowBound);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  /** Bytes encoded and not yet taken. */
  get size(): number {
    return this.pos;
  }

  /** True once the current chunk is full: take() it. */
  get full(): boolean {
    return this.pos >= this.chunkBytes;
  }

  /** The bytes encoded so far (a new chunk starts). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.chunkBytes + this.rowBound);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    this.pos = 0;
    return out;
  }

  add(row: BinaryRow): void {
    if (this.pos + this.rowBound > this.buf.length) {
      // A chunk is never left unread this long, but stay correct if it is.
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.pos);
      this.buf = bigger;
      this.view = new DataView(bigger.buffer, bigger.byteOffset, bigger.length);
    }
    const buf = this.buf;
    const view = this.view;
    let p = this.pos;
    view.setInt16(p, this.fields);
    p += 2;
    buf.set(this.tenant, p);
    p += this.tenant.length;
    p = this.text(row.ids.site_id, p);
    p = this.text(row.ids.facility_id, p);
    p = this.text(row.ids.cluster_id, p);
    p = this.text(row.ids.zone_id, p);
    p = timestamp(view, p, row.ts);
    p = timestamp(view, p, row.ts + row.intervalSeconds * 1000);
    view.setInt32(p, 4);
    view.setInt32(p + 4, row.intervalSeconds);
    p += 8;
    buf.set(this.fixed, p);
    p += this.fixed.length;
    const values = row.values;
    const integer = this.integer;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        view.setInt32(p, -1);
        p += 4;
      } else if (integer[i]) {
        view.setInt32(p, 4);
        view.setInt32(p + 4, v);
        p += 8;
      } else {
        view.setInt32(p, 8);
        view.setFloat64(p + 4, v);
        p += 12;
      }
    }
    this.pos = p;
  }

  private text(value: string | null, p: number): number {
    if (value === null) {
      this.view.setInt32(p, -1);
      return p + 4;
    }
    let field = this.texts.get(value);
    if (field === undefined) {
      field = textField(value);
      if (this.texts.size < 100_000) this.texts.set(value, field);
    }
    this.buf.set(field, p);
    return p + field.length;
  }
}

/** A timestamptz field: microseconds since 2000-01-01 UTC as a big-endian int64. */
function timestamp(view: DataView, p: number, ms: number): number {
  view.setInt32(p, 8);
  const us = (ms - PG_EPOCH_MS) * 1000;
  if (Number.isSafeInteger(us)) {
    const hi = Math.floor(us / TWO_32);
    view.setInt32(p + 4, hi);
    view.setUint32(p + 8, us - hi * TWO_32);
  } else {
    // Beyond ±285 years of 2000: exact in BigInt (PostgreSQL refuses what is out of its range).
    view.setBigInt64(p + 4, BigInt(ms - PG_EPOCH_MS) * 1000n);
  }
  return p + 12;
}

// Adversarial inputs for fuzzing the API: JSON values, raw JSON texts (what JSON.stringify cannot
// write: 1e400, NaN, lone surrogates, 10,000 levels of nesting), near-valid documents with one
// field mutated, query strings and path segments.
import fc from "fast-check";

/** A value spliced into the JSON text as written, e.g. `1e400` or `NaN`. */
export class Raw {
  constructor(readonly text: string) {}
}

const RAW_MARK = "\u0001raw\u0001";

/** JSON text of `value`, with every `Raw` written verbatim. */
export function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `${RAW_MARK}${raws.length - 1}`;
    }
    return v;
  });
  if (text === undefined) return "";
  return raws.length === 0
    ? text
    : text.replace(new RegExp(`"${RAW_MARK}(\\d+)"`, "g"), (_m, i: string) => raws[Number(i)]!);
}

export const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"] as const;

export const WEIRD_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ufeffmad1",
  "\ud800",
  "\udfff",
  "x\ud83dy",
  "\u202emad1",
  "e\u0301\u0301\u0301",
  "😀👩‍👩‍👧‍👦🏳️‍🌈",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e400",
  "-0",
  "9007199254740993",
  "0x1F",
  "1_000",
  "=cmd|' /C calc'!A0",
  "@SUM(1+1)",
  "'; drop table observation; --",
  "../../etc/passwd",
  "%00",
  "%ZZ",
  "<script>alert(1)</script>",
  "${jndi:ldap://x}",
  "\\",
  '"',
  "\r\n",
  "2026-02-30T25:61:61Z",
  "9999-12-31T23:59:59Z",
  "-271821-04-20T00:00:00Z",
  "+275760-09-13T00:00:00.001Z",
  "0000-01-01",
  "2026-01-01T00:00:00+99:99",
  "00000000-0000-0000-0000-000000000000",
  "true",
  "null",
  "[]",
  "{}",
  "__proto__",
  "constructor",
] as const;

const hugeDigits = (n: number) => "9".repeat(n);

/** Numbers written as raw JSON text: what a careless parser rounds, overflows or chokes on. */
export const RAW_NUMBERS = [
  "1e308",
  "1.7976931348623157e308",
  "1e400",
  "-1e400",
  "1e-400",
  "-0",
  "-0.0",
  "9007199254740993",
  "-9007199254740993",
  "18446744073709551616",
  hugeDigits(400),
  `0.${hugeDigits(400)}`,
  `1e${hugeDigits(30)}`,
  "5e-324",
  "2.2250738585072014e-308",
] as const;

/** Not JSON numbers at all, as some serializers write them. */
export const RAW_NON_JSON = [
  "NaN",
  "Infinity",
  "-Infinity",
  "+1",
  "01",
  ".5",
  "1.",
  "0x10",
  "undefined",
  "'x'",
  "True",
  "None",
] as const;

function nested(depth: number, open: string, close: string, inner = "1"): string {
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

/** Whole bodies that are not what any route expects. */
export const HOSTILE_BODIES: { label: string; text: string }[] = [
  { label: "empty", text: "" },
  { label: "whitespace", text: " \r\n\t" },
  { label: "null", text: "null" },
  { label: "true", text: "true" },
  { label: "number", text: "42" },
  { label: "string", text: '"payload"' },
  { label: "empty array", text: "[]" },
  { label: "array of objects", text: "[{},{}]" },
  { label: "empty object", text: "{}" },
  { label: "truncated", text: '{"payload": {"a": ' },
  { label: "trailing comma", text: '{"a":1,}' },
  { label: "single quotes", text: "{'a':1}" },
  { label: "comment", text: '{"a":1 /* x */}' },
  { label: "two documents", text: '{"a":1}{"b":2}' },
  { label: "BOM then JSON", text: '\ufeff{"a":1}' },
  { label: "raw NaN", text: '{"a":NaN}' },
  { label: "raw Infinity", text: '{"a":Infinity,"b":-Infinity}' },
  { label: "1e400 top level", text: "1e400" },
  { label: "1e400 field", text: '{"payload":{"it_load_kw":1e400},"email":1e400}' },
  { label: "-0 and 2^53+1", text: '{"payload":{"it_load_kw":-0,"n":9007199254740993}}' },
  { label: "400 digits", text: `{"payload":{"it_load_kw":${hugeDigits(400)}}}` },
  { label: "lone surrogate escapes", text: '{"payload":{"\\ud800":"\\udfff","site_id":"\\ud83d"}}' },
  { label: "NUL escape", text: '{"payload":{"site_id":"a\\u0000b","\\u0000":1}}' },
  { label: "raw control characters", text: '{"a":"\u0001\u0002"}' },
  { label: "duplicate keys", text: '{"payload":{"a":1,"a":2},"payload":{"b":3}}' },
  {
    label: "__proto__ key",
    text: '{"__proto__":{"isAdmin":true,"role":"admin"},"payload":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}}',
  },
  { label: "constructor key", text: '{"constructor":{"prototype":{"polluted":true}},"prototype":1}' },
  { label: "10,000 nested arrays", text: nested(10_000, "[", "]") },
  { label: "10,000 nested objects", text: `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}` },
  { label: "10,000 nested arrays in payload", text: `{"payload":{"x":${nested(10_000, "[", "]")}}}` },
  { label: "100,000 nested arrays", text: nested(100_000, "[", "]") },
  { label: "unbalanced nesting", text: "[".repeat(50_000) },
  { label: "1 MB string", text: `{"payload":{"note":"${"x".repeat(1_000_000)}"}}` },
  { label: "just over 1 MiB", text: `{"a":"${"x".repeat(1_048_577)}"}` },
  { label: "50k keys", text: `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`).join(",")}}` },
  { label: "100k element array", text: `{"payload":{"a":[${Array.from({ length: 100_000 }, () => "0").join(",")}]}}` },
];

/** Bytes that are not UTF-8, as a body. */
export const INVALID_UTF8_BODIES: { label: string; bytes: Uint8Array<ArrayBuffer> }[] = [
  { label: "lone continuation byte", bytes: Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d]) },
  { label: "0xFF", bytes: Uint8Array.from([0xff, 0xfe, 0x7b, 0x7d]) },
  { label: "overlong NUL", bytes: Uint8Array.from([0x7b, 0x22, 0xc0, 0x80, 0x22, 0x3a, 0x31, 0x7d]) },
  { label: "UTF-16LE", bytes: Uint8Array.from(Buffer.from('{"a":1}', "utf16le")) },
  { label: "encoded surrogate", bytes: Uint8Array.from([0x22, 0xed, 0xa0, 0x80, 0x22]) },
];

export const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/problem+json",
  "APPLICATION/JSON",
  "application/json; charset=latin1",
  "text/plain",
  "text/csv",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=xyz",
  "multipart/form-data",
  "application/jsonx",
  "",
  "*/*",
] as const;

/** A JSON value with adversarial leaves and keys, as raw-capable values. */
export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...WEIRD_STRINGS),
  fc.constantFrom(...RAW_NUMBERS).map((t) => new Raw(t)),
  fc.constantFrom(...RAW_NON_JSON).map((t) => new Raw(t)),
  fc.constantFrom(null, true, false, 0, -1, 1.5, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, -Number.MAX_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(10_000, 100_000, 1_000_000).map((n) => "x".repeat(n)),
  fc.constantFrom([], {}, [[[]]], { a: { b: { c: {} } } }),
  fc.constantFrom(2_000, 10_000).map((depth) => new Raw(nested(depth, "[", "]"))),
);

const hostileKey = fc.oneof(
  fc.constantFrom(...PROTO_KEYS, ...WEIRD_STRINGS),
  fc.string({ unit: "binary", maxLength: 20 }),
);

export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileLeaf,
    fc.array(tie("node"), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie("node"), { maxKeys: 4 }),
  ),
})).node;

type Path = (string | number)[];

/** Every path to a value inside `doc` (the root excluded). */
export function pathsOf(doc: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  const children: [string | number, unknown][] = Array.isArray(doc)
    ? doc.map((v, i) => [i, v])
    : doc && typeof doc === "object"
      ? Object.entries(doc)
      : [];
  for (const [k, v] of children) {
    out.push([...prefix, k]);
    pathsOf(v, [...prefix, k], out);
  }
  return out;
}

export type Mutation = { path: Path; op: "replace" | "delete" | "add-key"; key?: string; value?: unknown };

/** `doc` with one mutation applied (a deep copy; the original is untouched). */
export function mutate(doc: unknown, m: Mutation): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  if (m.path.length === 0) {
    if (m.op === "add-key" && copy && typeof copy === "object" && !Array.isArray(copy)) {
      Object.defineProperty(copy, m.key!, { value: m.value, enumerable: true, configurable: true, writable: true });
      return copy;
    }
    return m.value;
  }
  let parent: Record<string | number, unknown> = copy;
  for (const p of m.path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const last = m.path[m.path.length - 1]!;
  if (m.op === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (m.op === "add-key") {
    const target = parent[last];
    if (target && typeof target === "object" && !Array.isArray(target)) {
      Object.defineProperty(target, m.key!, { value: m.value, enumerable: true, configurable: true, writable: true });
    } else parent[last] = m.value;
  } else parent[last] = m.value;
  return copy;
}

/** A valid document with one field replaced by a hostile value, removed, or given a hostile key. */
export function nearValid(doc: unknown): fc.Arbitrary<{ text: string; mutation: Mutation }> {
  const paths: Path[] = [[], ...pathsOf(doc)];
  return fc
    .record({
      path: fc.constantFrom(...paths),
      op: fc.constantFrom<Mutation["op"]>("replace", "replace", "replace", "delete", "add-key"),
      key: fc.constantFrom(...PROTO_KEYS, "unexpected_field", "\u0000", "\ud800"),
      value: fc.oneof(hostileLeaf, hostileJson),
    })
    .filter((m) => m.op !== "delete" || m.path.length > 0)
    .map((m) => ({ text: jsonText(mutate(doc, m)), mutation: m }));
}

/** A JSON body as text: near-valid mostly, else hostile values, hostile texts or random JSON. */
export function jsonBody(example: unknown): fc.Arbitrary<{ text: string; label: string }> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: nearValid(example).map((b) => ({
        text: b.text,
        label: `mutated ${b.mutation.op} /${b.mutation.path.join("/")}`,
      })),
    },
    { weight: 2, arbitrary: hostileJson.map((v) => ({ text: jsonText(v), label: "hostile JSON" })) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_BODIES).map((b) => ({ text: b.text, label: b.label })) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => ({ text: JSON.stringify(v) ?? "", label: "random JSON" })) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: "binary", maxLength: 200 }).map((t) => ({ text: t, label: "random text" })),
    },
  );
}

/** Query values: plausible filters, hostile strings, repeats and huge numbers. */
export const queryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "2026-06-01",
    "2026-06-01T00:00:00Z",
    "2026-06-01T00:00",
    "2026-06-01T00:00:00+02:00",
    "2026-06-01T00:00:00.123456789Z",
    "1",
    "0",
    "-1",
    "1.5",
    "1e400",
    "1e308",
    "9007199254740993",
    hugeDigits(100),
    "NaN",
    "Infinity",
    "-0",
    "mad1",
    "c01",
    "acme",
    "asc",
    "desc",
    "-received_at",
    "received_at",
    "7d",
    "30d",
    "24h",
    "day",
    "hour",
    "week",
    "month",
    "success",
    "denied",
    "error",
    "pending",
    "done",
    "enterprise",
    "simple",
    "true",
    "false",
    "skip",
    "strict",
    "csv",
    "x".repeat(5000),
  ),
  fc.constantFrom(...WEIRD_STRINGS),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.integer().map(String),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
);

/** A query string over the route's known keys plus hostile extra keys; may repeat keys. */
export function queryString(keys: readonly string[]): fc.Arbitrary<string> {
  const key =
    keys.length > 0
      ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: hostileKey })
      : hostileKey;
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .array(fc.tuple(key, queryValue), { maxLength: 6 })
        .map((pairs) => new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString()),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "%",
        "%ZZ",
        "a=%E0%A4%A",
        "from=%00",
        "=&=&&",
        "from=%ud800",
        "page=1&page=2&page=x",
        `limit=${hugeDigits(400)}`,
        "__proto__[x]=1&constructor[prototype][x]=1",
      ),
    },
  );
}

/** Path parameters, not yet percent-encoded: a real id, an unknown UUID, or something that is no id at all. */
export function pathSegment(real: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: real.length ? fc.constantFrom(...real) : fc.uuid() },
    { weight: 2, arbitrary: fc.uuid() },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            ...WEIRD_STRINGS,
            "0",
            "-1",
            "1e400",
            hugeDigits(40),
            "NaN",
            "..",
            "%2e%2e",
            "x".repeat(2000),
          ),
          fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
        )
        .filter((s) => s.length > 0),
    },
  );
}

// How a CSV file is read: its delimiter, decimal separator, date format, the time zone of its naive
// timestamps and the rules for the hour a DST change repeats or skips, and which column is what.
// One schema for the upload and preview APIs, the import wizard and the CLI. Omitted options are
// detected from the file (delimiter, decimal, date format) or take their defaults; a dataset's
// next version reuses the options last given for it (lib/datasets/load.ts).
import { z } from "zod";
import { SIGNALS, unitKey, unitTargets } from "./columns";

export const DELIMITERS = [",", ";", "tab", "|"] as const;
export type Delimiter = (typeof DELIMITERS)[number];
export const DECIMALS = [".", ","] as const;
export type Decimal = (typeof DECIMALS)[number];
export const DATE_FORMATS = ["iso", "dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd"] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
export const DST_AMBIGUOUS = ["by_order", "earlier", "later", "reject"] as const;
export type DstAmbiguous = (typeof DST_AMBIGUOUS)[number];
export const DST_GAP = ["reject", "shift_forward"] as const;
export type DstGap = (typeof DST_GAP)[number];

/** Where a column's values go: a signal, an id column, the timestamp or the interval. */
export const MAPPING_TARGETS = [
  "timestamp",
  "site_id",
  "facility_id",
  "cluster_id",
  "zone_id",
  "interval_seconds",
  ...SIGNALS.map((s) => s.name),
] as const;

export const MappingEntrySchema = z.union([
  z.object({ ignore: z.literal(true) }).strict(),
  z
    .object({
      signal: z
        .string()
        .meta({ description: "A signal (e.g. `it_load_kw`), an id column, `timestamp` or `interval_seconds`" }),
      unit: z
        .string()
        .max(20)
        .optional()
        .meta({ description: "The file's unit when it differs: MW, kW, W, °F, °C, %" }),
    })
    .strict(),
]);
export type MappingEntry = z.infer<typeof MappingEntrySchema>;
export type ColumnMapping = Record<string, MappingEntry>;

const MappingObjectSchema = z.record(z.string().max(200), MappingEntrySchema).superRefine((mapping, ctx) => {
  const entries = Object.entries(mapping);
  if (entries.length > 500) ctx.addIssue({ code: "custom", message: "at most 500 columns" });
  const seen = new Map<string, string>();
  for (const [header, entry] of entries) {
    if ("ignore" in entry) continue;
    const target = entry.signal === "timestamp_utc" ? "timestamp" : entry.signal;
    if (!(MAPPING_TARGETS as readonly string[]).includes(target)) {
      ctx.addIssue({
        code: "custom",
        path: [header, "signal"],
        message: `"${entry.signal}" is not a signal, an id column, timestamp or interval_seconds`,
      });
      continue;
    }
    const other = seen.get(target);
    if (other !== undefined)
      ctx.addIssue({ code: "custom", path: [header, "signal"], message: `"${other}" is mapped to ${target} too` });
    else seen.set(target, header);
    if (entry.unit !== undefined) {
      const signal = SIGNALS.find((s) => s.name === target);
      const units = signal ? unitTargets(signal) : [];
      if (!units.includes(unitKey(entry.unit)))
        ctx.addIssue({
          code: "custom",
          path: [header, "unit"],
          message: signal ? `"${entry.unit}" cannot be converted to ${target}'s unit` : `${target} takes no unit`,
        });
    }
  }
});

/** The mapping as a JSON text (a query parameter or a multipart field) or as an object. */
export const MappingSchema = z
  .preprocess((value, ctx) => {
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: 'must be a JSON object: {"header": {"signal": …} | {"ignore": true}}' });
      return z.NEVER;
    }
  }, MappingObjectSchema)
  .meta({
    description:
      'Each source header → `{"signal": name, "unit"?: "MW"}` or `{"ignore": true}`; headers not named are matched by name (unknown ones are reported, never dropped silently)',
    example:
      '{"Zeit":{"signal":"timestamp"},"Standort":{"signal":"site_id"},"Last (MW)":{"signal":"it_load_kw","unit":"MW"},"Kommentar":{"ignore":true}}',
  });

/** An IANA time zone (or UTC), by its canonical name. */
export function canonicalZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const ImportOptionsSchema = z.object({
  delimiter: z
    .preprocess((v) => (v === "\t" ? "tab" : v), z.enum(DELIMITERS))
    .optional()
    .meta({ description: "`,` `;` `tab` or `|`; detected from the header line when omitted" }),
  decimal: z
    .enum(DECIMALS)
    .optional()
    .meta({ description: "`.` or `,`; detected from the first rows when omitted (`,` needs another delimiter)" }),
  date_format: z.enum(DATE_FORMATS).optional().meta({
    description:
      "`iso` (ISO 8601, an offset optional; or epoch seconds/ms), `dd/mm/yyyy`, `mm/dd/yyyy`, `yyyy-mm-dd` (each with an optional ` HH:mm[:ss]`; `/`, `.` or `-` between the date's parts); detected from the first rows when omitted, refusing a file where day and month cannot be told apart",
  }),
  timezone: z
    .string()
    .trim()
    .max(64)
    .transform((name, ctx) => {
      const zone = canonicalZone(name);
      if (zone === null) {
        ctx.addIssue({ code: "custom", message: `"${name}" is not an IANA time zone (e.g. Europe/Paris, UTC)` });
        return z.NEVER;
      }
      return zone;
    })
    .optional()
    .meta({
      description:
        "The IANA zone of timestamps written without an offset (default UTC); a timestamp with an offset or Z keeps it",
      example: "Europe/Paris",
    }),
  dst_ambiguous: z.enum(DST_AMBIGUOUS).optional().meta({
    description:
      "A local time the autumn change repeats: `by_order` (default: a series' first occurrence takes the earlier offset, its second the later, in file order), `earlier`, `later`, or `reject` (a row problem)",
  }),
  dst_gap: z.enum(DST_GAP).optional().meta({
    description:
      "A local time the spring change skips: `reject` (default: a row problem; the time never existed) or `shift_forward` (moved on by the gap, as the clock would read)",
  }),
  mapping: MappingSchema.optional(),
});
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

/** Every option decided (detected or defaulted): what a load used. */
export type ResolvedOptions = {
  delimiter: Delimiter;
  decimal: Decimal;
  date_format: DateFormat;
  timezone: string;
  dst_ambiguous: DstAmbiguous;
  dst_gap: DstGap;
};

export const DEFAULTS: Omit<ResolvedOptions, "delimiter" | "decimal" | "date_format"> = {
  timezone: "UTC",
  dst_ambiguous: "by_order",
  dst_gap: "reject",
};

export const OPTION_KEYS = [
  "delimiter",
  "decimal",
  "date_format",
  "timezone",
  "dst_ambiguous",
  "dst_gap",
  "mapping",
] as const;

/** The options given, without the omitted ones. */
export function givenOptions(options: ImportOptions): ImportOptions {
  const out: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return out as ImportOptions;
}

/** The saved options of the dataset, overridden option by option by those given now. */
export function mergeOptions(saved: ImportOptions | null, given: ImportOptions): ImportOptions {
  return { ...(saved ?? {}), ...givenOptions(given) };
}

/** The delimiter as a character. */
export function delimiterChar(d: Delimiter): string {
  return d === "tab" ? "\t" : d;
}

/** Rows in the hour a DST change repeats or skips, and how they were read. */
export type DstCounts = {
  ambiguous_rows: number;
  ambiguous_earlier: number;
  ambiguous_later: number;
  ambiguous_rejected: number;
  gap_rows: number;
  gap_shifted: number;
  gap_rejected: number;
};

export const DstCountsSchema = z.object({
  ambiguous_rows: z.number().int().meta({ description: "Rows whose local time the autumn change repeats" }),
  ambiguous_earlier: z.number().int(),
  ambiguous_later: z.number().int(),
  ambiguous_rejected: z.number().int(),
  gap_rows: z.number().int().meta({ description: "Rows whose local time the spring change skips" }),
  gap_shifted: z.number().int(),
  gap_rejected: z.number().int(),
});

export const ResolvedOptionsSchema = z.object({
  delimiter: z.enum(DELIMITERS),
  decimal: z.enum(DECIMALS),
  date_format: z.enum(DATE_FORMATS),
  timezone: z.string(),
  dst_ambiguous: z.enum(DST_AMBIGUOUS),
  dst_gap: z.enum(DST_GAP),
});

/** What a version stores of how its file was read. */
export const ImportRecordSchema = z
  .object({
    used: ResolvedOptionsSchema.meta({ description: "Every option as applied (given, saved, detected or default)" }),
    given: z.record(z.string(), z.unknown()).meta({
      description: "The options given for this version (or reused from the last): what the next version reuses",
    }),
    dst: DstCountsSchema,
    naive_timestamps: z.number().int().meta({ description: "Rows whose timestamp had no offset (read in `timezone`)" }),
  })
  .meta({ id: "DatasetImport" });
export type ImportRecord = z.infer<typeof ImportRecordSchema>;

// How a version's file was read, as the version page's facts (label, value): the options used and
// the rows in the hours a DST change repeats or skips.
import type { ImportRecord } from "@/lib/datasets/import-options";

const DELIMITER: Record<string, string> = { ",": "comma", ";": "semicolon", tab: "tab", "|": "pipe" };

export function importFacts(record: ImportRecord | null): [string, string][] {
  if (!record) return [["Read as", "comma-separated, ISO timestamps, UTC (before the import options)"]];
  const u = record.used;
  const d = record.dst;
  const mapped = Object.keys((record.given.mapping as Record<string, unknown> | undefined) ?? {}).length;
  return [
    [
      "Read as",
      `${DELIMITER[u.delimiter] ?? u.delimiter}-separated, decimal ${u.decimal === "," ? "comma" : "point"}, dates ${u.date_format}, zone ${u.timezone}${mapped ? `, ${mapped} columns mapped` : ""}`,
    ],
    [
      "Daylight saving",
      `repeated hour: ${d.ambiguous_rows} rows (${u.dst_ambiguous.replace("_", " ")}: ${d.ambiguous_earlier} earlier, ${d.ambiguous_later} later${d.ambiguous_rejected ? `, ${d.ambiguous_rejected} refused` : ""}); skipped hour: ${d.gap_rows} rows (${u.dst_gap.replace("_", " ")})`,
    ],
  ];
}

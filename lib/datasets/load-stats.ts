// What a CSV load reports: the stored rows, the series and the quality report (copy-stream.ts
// builds it; the version row stores it).
import type { FieldProblem } from "@/lib/http/app-error";
import type { DstCounts, ImportOptions, ResolvedOptions } from "./import-options";
import type { SeriesQuality } from "./quality";

/** How the file was read: every option as applied, the options given (reused by the next version), the DST rows. */
export type ImportSummary = {
  used: ResolvedOptions;
  given: ImportOptions;
  dst: DstCounts;
  naive_timestamps: number;
};

export type Stats = {
  stored: number;
  rejected: number;
  duplicates: number;
  timeStart: Date | null;
  timeEnd: Date | null;
  interval: number | null;
  columns: { header: string; column: string | null; note: string | null }[];
  series: {
    site_id: string;
    facility_id: string | null;
    cluster_id: string | null;
    zone_id: string | null;
    rows: number;
  }[];
  warnings: { column: string; message: string }[];
  quality: QualityReport;
  import: ImportSummary;
};

export type QualityReport = {
  thresholds: { max_missing_ratio: number; max_staleness_seconds: number };
  passes: boolean;
  rows_read: number;
  rows_stored: number;
  rows_rejected: number;
  duplicates: number;
  out_of_range: Record<string, number>;
  rejected: FieldProblem[];
  series: SeriesQuality[];
};

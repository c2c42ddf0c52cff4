// The quality report of a dataset version: per-series missing ratio against the threshold, daily
// coverage, stale runs, duplicates and rejected rows. Server-rendered SVG; no client code.
import { Table, TBody, Td, Th, THead, Tr } from "@/components/tables/table";
import { Badge } from "@/components/ui/badge";
import type { DailyCoverage } from "@/lib/datasets/coverage";
import type { QualityReportSchema } from "@/lib/datasets/serialize";
import type { z } from "zod";

type Report = z.infer<typeof QualityReportSchema>;
const COLORS = ["#0f766e", "#2563eb", "#d97706", "#7c3aed", "#db2777", "#059669", "#dc2626", "#4b5563"];

const seriesLabel = (s: Report["series"][number]) =>
  [s.site_id, s.facility_id, s.cluster_id, s.zone_id].filter(Boolean).join(" / ");

export function MissingRatioChart({ report }: { report: Report }) {
  const width = 640;
  const rowHeight = 22;
  const labelWidth = 180;
  const scaleMax = Math.max(
    report.thresholds.max_missing_ratio * 2,
    ...report.series.map((s) => s.missing_ratio),
    0.01,
  );
  const x = (v: number) => labelWidth + (v / scaleMax) * (width - labelWidth - 60);
  const height = report.series.length * rowHeight + 24;
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="w-full max-w-3xl"
      role="img"
      aria-label="Missing-interval ratio per series"
      data-testid="missing-chart"
    >
      {report.series.map((s, i) => (
        <g key={i} transform={`translate(0 ${i * rowHeight + 4})`}>
          <text x={labelWidth - 8} y={13} textAnchor="end" fontSize="11" fill="#334155">
            {seriesLabel(s)}
          </text>
          <rect
            x={labelWidth}
            y={3}
            width={Math.max(1, x(s.missing_ratio) - labelWidth)}
            height={13}
            fill={s.passes.missing ? "#0f766e" : "#dc2626"}
            rx={2}
          />
          <text x={x(s.missing_ratio) + 6} y={13} fontSize="11" fill="#334155">
            {(s.missing_ratio * 100).toFixed(2)} %
          </text>
        </g>
      ))}
      <line
        x1={x(report.thresholds.max_missing_ratio)}
        x2={x(report.thresholds.max_missing_ratio)}
        y1={0}
        y2={height - 18}
        stroke="#dc2626"
        strokeDasharray="4 3"
      />
      <text x={x(report.thresholds.max_missing_ratio)} y={height - 4} fontSize="10" fill="#dc2626" textAnchor="middle">
        threshold {(report.thresholds.max_missing_ratio * 100).toFixed(1)} %
      </text>
    </svg>
  );
}

export function CoverageChart({ coverage, intervalSeconds }: { coverage: DailyCoverage[]; intervalSeconds: number }) {
  const perDay = Math.max(1, Math.round(86_400 / Math.max(1, intervalSeconds)));
  const allDays = [...new Set(coverage.flatMap((c) => c.days.map((d) => d.day)))].sort();
  if (allDays.length === 0) return null;
  const first = Date.parse(`${allDays[0]}T00:00:00Z`);
  const last = Date.parse(`${allDays[allDays.length - 1]}T00:00:00Z`);
  const span = Math.max(1, (last - first) / 86_400_000);
  const width = 640;
  const height = 160;
  const x = (day: string) => 40 + ((Date.parse(`${day}T00:00:00Z`) - first) / 86_400_000 / span) * (width - 50);
  const y = (ratio: number) => 10 + (1 - Math.min(1.2, ratio) / 1.2) * (height - 40);
  return (
    <figure>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="w-full max-w-3xl"
        role="img"
        aria-label="Daily coverage per series"
        data-testid="coverage-chart"
      >
        {[0, 0.5, 1].map((t) => (
          <g key={t}>
            <line x1={40} x2={width - 10} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
            <text x={34} y={y(t) + 4} fontSize="10" textAnchor="end" fill="#64748b">
              {Math.round(t * 100)}%
            </text>
          </g>
        ))}
        {coverage.map((c, i) => (
          <polyline
            key={c.series}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            strokeWidth={1.2}
            points={c.days.map((d) => `${x(d.day).toFixed(1)},${y(d.rows / perDay).toFixed(1)}`).join(" ")}
          />
        ))}
        <text x={40} y={height - 8} fontSize="10" fill="#64748b">
          {allDays[0]}
        </text>
        <text x={width - 10} y={height - 8} fontSize="10" fill="#64748b" textAnchor="end">
          {allDays[allDays.length - 1]}
        </text>
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-3 text-xs text-slate-600">
        {coverage.map((c, i) => (
          <span key={c.series} className="inline-flex items-center gap-1">
            <span className="inline-block h-2 w-3 rounded-sm" style={{ background: COLORS[i % COLORS.length] }} />
            {c.series}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function QualityTables({ report }: { report: Report }) {
  return (
    <div className="space-y-4">
      <Table label="Quality per series" testId="quality-series">
        <THead>
          <Th>Series</Th>
          <Th numeric>Rows</Th>
          <Th numeric>Duplicates</Th>
          <Th>First</Th>
          <Th>Last</Th>
          <Th numeric>Interval</Th>
          <Th numeric>Missing</Th>
          <Th>Stale runs</Th>
          <Th>Result</Th>
        </THead>
        <TBody>
          {report.series.map((s, i) => (
            <Tr key={i}>
              <Td>{seriesLabel(s)}</Td>
              <Td numeric>{s.rows.toLocaleString("en")}</Td>
              <Td numeric>{s.duplicates}</Td>
              <Td className="whitespace-nowrap">{s.first_utc.slice(0, 16).replace("T", " ")}</Td>
              <Td className="whitespace-nowrap">{s.last_utc.slice(0, 16).replace("T", " ")}</Td>
              <Td numeric>{s.interval_seconds} s</Td>
              <Td numeric>{(s.missing_ratio * 100).toFixed(2)} %</Td>
              <Td>
                {s.stale.length === 0
                  ? "—"
                  : s.stale
                      .map((x) => `${x.column}: ${x.runs} (longest ${Math.round(x.longest_seconds / 60)} min)`)
                      .join("; ")}
              </Td>
              <Td>
                {s.passes.missing && s.passes.staleness ? (
                  <Badge tone="green">pass</Badge>
                ) : (
                  <Badge tone="red">{!s.passes.missing ? "missing data" : "stale values"}</Badge>
                )}
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
      {report.rejected.length > 0 ? (
        <div>
          <h3 className="mb-1 text-sm font-semibold">Rejected rows ({report.rows_rejected.toLocaleString("en")})</h3>
          <Table label="Rejected rows" testId="rejected-rows">
            <THead>
              <Th numeric>Row</Th>
              <Th>Column</Th>
              <Th>Value</Th>
              <Th>Reason</Th>
            </THead>
            <TBody>
              {report.rejected.slice(0, 200).map((p, i) => (
                <Tr key={i}>
                  <Td numeric>{p.row}</Td>
                  <Td>{p.column}</Td>
                  <Td className="font-mono">{p.value}</Td>
                  <Td>{p.detail}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      ) : null}
    </div>
  );
}

// A dataset version's coverage as a calendar (weeks × weekdays, as a contributions calendar): each
// day's share of the expected intervals present, over every series of the version, from the first
// to the last day of its data. Server-rendered SVG; each day carries its share as a tooltip and an
// accessible label, and a table lists the days for readers that do not see the picture.
import type { DailyCoverage } from "@/lib/datasets/coverage";
import { formatPercent } from "@/lib/format";

const DAY_MS = 86_400_000;
const CELL = 12;
const GAP = 2;
const LEFT = 28;
const TOP = 16;

/** Buckets of the share present, lowest first: colour and legend text. */
const BUCKETS = [
  { max: 0, color: "#e2e8f0", label: "no data" },
  { max: 0.5, color: "#fde68a", label: "up to 50 %" },
  { max: 0.9, color: "#86efac", label: "50–90 %" },
  { max: 0.999_999, color: "#22c55e", label: "90–99 %" },
  { max: Infinity, color: "#15803d", label: "complete" },
] as const;

export type CalendarDay = { day: string; share: number; rows: number; expected: number };

/**
 * Every UTC day from `firstDay` to `lastDay` with the rows present against the rows expected
 * (series × intervals per day), the share capped at 1. Pure.
 */
export function calendarDays(
  coverage: DailyCoverage[],
  intervalSeconds: number,
  firstDay: string,
  lastDay: string,
): CalendarDay[] {
  const perDay = Math.max(1, Math.round(86_400 / Math.max(1, intervalSeconds)));
  const expected = perDay * Math.max(1, coverage.length);
  const rows = new Map<string, number>();
  for (const c of coverage) for (const d of c.days) rows.set(d.day, (rows.get(d.day) ?? 0) + d.rows);
  const out: CalendarDay[] = [];
  const end = Date.parse(`${lastDay}T00:00:00Z`);
  for (let t = Date.parse(`${firstDay}T00:00:00Z`); t <= end; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const n = rows.get(day) ?? 0;
    out.push({ day, rows: n, expected, share: Math.min(1, n / expected) });
  }
  return out;
}

const bucketOf = (share: number) => BUCKETS.find((b) => share <= b.max) ?? BUCKETS[BUCKETS.length - 1]!;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function CoverageCalendar({
  coverage,
  intervalSeconds,
  firstDay,
  lastDay,
}: {
  coverage: DailyCoverage[];
  intervalSeconds: number;
  firstDay: string | null;
  lastDay: string | null;
}) {
  if (!firstDay || !lastDay) return <p className="text-sm text-slate-600">No data in this version.</p>;
  const days = calendarDays(coverage, intervalSeconds, firstDay, lastDay);
  // Weeks start on Monday: the first column holds the Monday on or before the first day.
  const firstMs = Date.parse(`${firstDay}T00:00:00Z`);
  const weekday = (ms: number) => (new Date(ms).getUTCDay() + 6) % 7;
  const origin = firstMs - weekday(firstMs) * DAY_MS;
  const cells = days.map((d) => {
    const ms = Date.parse(`${d.day}T00:00:00Z`);
    return { ...d, col: Math.floor((ms - origin) / (7 * DAY_MS)), row: weekday(ms) };
  });
  const weeks = (cells[cells.length - 1]?.col ?? 0) + 1;
  const width = LEFT + weeks * (CELL + GAP);
  const height = TOP + 7 * (CELL + GAP);
  const months = cells.filter((c) => c.day.endsWith("-01") || c === cells[0]);
  const complete = days.filter((d) => d.share >= 1).length;
  const empty = days.filter((d) => d.rows === 0).length;
  const summary = `Coverage calendar: ${days.length} days from ${firstDay} to ${lastDay}; ${complete} complete, ${days.length - complete - empty} partial, ${empty} without data.`;
  return (
    <figure data-testid="coverage-calendar">
      <div className="overflow-x-auto">
        <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={summary}>
          {months.map((c) => (
            <text key={`m${c.day}`} x={LEFT + c.col * (CELL + GAP)} y={10} fontSize="9" fill="#64748b">
              {MONTHS[Number(c.day.slice(5, 7)) - 1]}
            </text>
          ))}
          {(["Mon", "Wed", "Fri"] as const).map((name, i) => (
            <text
              key={name}
              x={LEFT - 4}
              y={TOP + i * 2 * (CELL + GAP) + CELL - 2}
              fontSize="9"
              fill="#64748b"
              textAnchor="end"
            >
              {name}
            </text>
          ))}
          {cells.map((c) => (
            <rect
              key={c.day}
              data-day={c.day}
              x={LEFT + c.col * (CELL + GAP)}
              y={TOP + c.row * (CELL + GAP)}
              width={CELL}
              height={CELL}
              rx={2}
              fill={bucketOf(c.share).color}
            >
              <title>{`${c.day}: ${formatPercent(c.share)} (${c.rows.toLocaleString("en")} of ${c.expected.toLocaleString("en")} rows)`}</title>
            </rect>
          ))}
        </svg>
      </div>
      <figcaption
        className="mt-2 flex flex-wrap items-center gap-3 text-xs text-slate-600"
        data-testid="coverage-legend"
      >
        <span>Share of expected intervals present, per UTC day:</span>
        {BUCKETS.map((b) => (
          <span key={b.label} className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm" style={{ backgroundColor: b.color }} />
            {b.label}
          </span>
        ))}
      </figcaption>
      <details className="mt-2 text-xs">
        <summary className="cursor-pointer text-slate-700">Coverage per day (table)</summary>
        <table className="mt-1 text-left" data-testid="coverage-table">
          <caption className="sr-only">Share of expected intervals present per UTC day</caption>
          <thead>
            <tr>
              <th scope="col" className="pr-4 font-medium">
                Day (UTC)
              </th>
              <th scope="col" className="pr-4 text-right font-medium">
                Rows
              </th>
              <th scope="col" className="text-right font-medium">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <td className="pr-4">{d.day}</td>
                <td className="pr-4 text-right tabular-nums">{d.rows.toLocaleString("en")}</td>
                <td className="text-right tabular-nums">{formatPercent(d.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

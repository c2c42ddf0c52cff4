// KPI cards: value, unit, and the change against the previous equal period, in the units and
// colours of lib/kpi/compare.ts (which also says when there is no comparison, and why).
import { cn } from "@/components/ui/cn";
import { formatNumber } from "@/lib/format";
import { displayKpi, KPI_CATALOGUE } from "@/lib/kpi/catalogue";
import { compareKpi, type KpiKey } from "@/lib/kpi/compare";
import type { Kpis } from "@/lib/kpi/kpis";

type Card = { key: KpiKey; label: string; value: string; unit?: string; note?: string };

/** What a card says under its value, beyond the comparison. */
function noteOf(key: KpiKey, k: Kpis): string | undefined {
  switch (key) {
    case "pue":
      return "Σ facility kWh / Σ IT kWh (ISO/IEC 30134-2); category as measured by the source";
    case "cooling":
      return k.coolingShare === null
        ? "chiller + fans"
        : `chiller + fans: ${formatNumber(k.coolingShare * 100, 1)} % of facility energy`;
    case "cost":
      return k.currency === "mixed" ? "several currencies: not comparable" : "facility energy × price";
    case "co2e":
      return "facility energy × grid carbon intensity";
    case "p95":
      return k.p95InletWorst ? `${k.p95InletWorst}; ASHRAE recommends ≤ 27 °C` : undefined;
    case "hotspots":
      return "series-hours with a rack above 27 °C";
    case "coverage":
      return `${formatNumber(k.rows)} observations, ${k.series} series`;
    default:
      return undefined;
  }
}

/** One card per compared KPI of the catalogue, in its order, named and rounded as everywhere else. */
export function kpiCards(current: Kpis): Card[] {
  return KPI_CATALOGUE.flatMap((e) => {
    if (!e.compare) return [];
    const shown = displayKpi(e, current[e.field], current);
    return [{ key: e.compare, label: e.label, ...shown, note: noteOf(e.compare, current) }];
  });
}

export function KpiCards({ current, previous }: { current: Kpis; previous: Kpis }) {
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5" data-testid="kpi-cards">
      {kpiCards(current).map((c) => {
        const cmp = compareKpi(c.key, current, previous);
        return (
          <section
            key={c.key}
            className="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200"
            data-testid={`kpi-${c.key}`}
            aria-label={c.label}
          >
            <h3 className="text-xs font-medium text-slate-500">{c.label}</h3>
            <p className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">
              <span data-testid="kpi-value">{c.value}</span>
              {c.unit ? <span className="ml-1 text-sm font-normal text-slate-500">{c.unit}</span> : null}
            </p>
            <p
              className={cn(
                "text-xs",
                cmp.tone === "good" ? "text-emerald-700" : cmp.tone === "bad" ? "text-red-700" : "text-slate-500",
              )}
              data-testid="kpi-change"
            >
              {cmp.valueReason ? "no comparison" : cmp.text}
            </p>
            {cmp.valueReason ? (
              <p className="mt-1 text-[11px] leading-snug text-slate-500" data-testid="kpi-reason">
                — because {cmp.valueReason}
              </p>
            ) : c.note ? (
              <p className="mt-1 text-[11px] leading-snug text-slate-500">{c.note}</p>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}

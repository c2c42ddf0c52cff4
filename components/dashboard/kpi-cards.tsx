// KPI cards: value, unit, and the change against the previous equal period, in the units and
// colours of lib/kpi/compare.ts (which also says when there is no comparison, and why).
import { cn } from "@/components/ui/cn";
import { compareKpi, type KpiKey } from "@/lib/kpi/compare";
import type { Kpis } from "@/lib/kpi/kpis";

type Card = { key: KpiKey; label: string; value: string; unit?: string; note?: string };

const n = (v: number | null, digits = 0) =>
  v === null ? "—" : v.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** kWh shown as kWh or MWh, whichever reads better. */
function energy(v: number | null): { value: string; unit: string } {
  if (v === null) return { value: "—", unit: "kWh" };
  return Math.abs(v) >= 10_000 ? { value: n(v / 1000, 1), unit: "MWh" } : { value: n(v, 0), unit: "kWh" };
}

export function kpiCards(current: Kpis): Card[] {
  const fac = energy(current.facilityKwh);
  const it = energy(current.itKwh);
  const cool = energy(current.coolingKwh);
  const co2 =
    current.co2eKg !== null && current.co2eKg >= 10_000
      ? { value: n(current.co2eKg / 1000, 1), unit: "t CO2e" }
      : { value: n(current.co2eKg, 0), unit: "kg CO2e" };
  return [
    {
      key: "pue",
      label: "PUE (energy-weighted)",
      value: n(current.pue, 3),
      note: "Σ facility kWh / Σ IT kWh (ISO/IEC 30134-2); category as measured by the source",
    },
    { key: "facility", label: "Facility energy", ...fac },
    { key: "it", label: "IT energy", ...it },
    {
      key: "cooling",
      label: "Cooling energy",
      ...cool,
      note:
        current.coolingShare === null
          ? "chiller + fans"
          : `chiller + fans: ${n(current.coolingShare * 100, 1)} % of facility energy`,
    },
    {
      key: "cost",
      label: "Energy cost",
      value: n(current.cost, 0),
      unit: current.currency ?? "",
      note: current.currency === "mixed" ? "several currencies: not comparable" : "facility energy × price",
    },
    { key: "co2e", label: "Emissions", ...co2, note: "facility energy × grid carbon intensity" },
    { key: "inlet", label: "Rack inlet (average)", value: n(current.avgInletC, 1), unit: "°C" },
    {
      key: "p95",
      label: "Rack inlet p95 (worst zone)",
      value: n(current.p95InletC, 1),
      unit: "°C",
      note: current.p95InletWorst ? `${current.p95InletWorst}; ASHRAE recommends ≤ 27 °C` : undefined,
    },
    {
      key: "hotspots",
      label: "Hotspot-hours",
      value: n(current.hotspotHours, 1),
      unit: "h",
      note: "series-hours with a rack above 27 °C",
    },
    {
      key: "coverage",
      label: "Data coverage",
      value: n(current.coverage === null ? null : current.coverage * 100, 1),
      unit: "%",
      note: `${current.rows.toLocaleString("en")} observations, ${current.series} series`,
    },
  ];
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

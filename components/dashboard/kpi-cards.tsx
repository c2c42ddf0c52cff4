// KPI cards: value, unit, and the change against the previous equal period, coloured by whether
// the change is good (less energy, cost, carbon, heat) or bad.
import { cn } from "@/components/ui/cn";
import type { Kpis } from "@/lib/kpi/kpis";
import { change } from "@/lib/kpi/kpis";

type Card = { key: string; label: string; value: string; unit?: string; current: number | null; previous: number | null; lowerIsBetter: boolean; note?: string };

const n = (v: number | null, digits = 0) => (v === null ? "—" : v.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits }));

/** kWh shown as kWh or MWh, whichever reads better. */
function energy(v: number | null): { value: string; unit: string } {
  if (v === null) return { value: "—", unit: "kWh" };
  return Math.abs(v) >= 10_000 ? { value: n(v / 1000, 1), unit: "MWh" } : { value: n(v, 0), unit: "kWh" };
}

export function kpiCards(current: Kpis, previous: Kpis): Card[] {
  const fac = energy(current.facilityKwh);
  const it = energy(current.itKwh);
  const cool = energy(current.coolingKwh);
  const co2 = current.co2eKg !== null && current.co2eKg >= 10_000 ? { value: n(current.co2eKg / 1000, 1), unit: "t CO2e" } : { value: n(current.co2eKg, 0), unit: "kg CO2e" };
  return [
    { key: "pue", label: "PUE (energy-weighted)", value: n(current.pue, 3), current: current.pue, previous: previous.pue, lowerIsBetter: true, note: "Σ facility kWh / Σ IT kWh (ISO/IEC 30134-2); category as measured by the source" },
    { key: "facility", label: "Facility energy", ...fac, current: current.facilityKwh, previous: previous.facilityKwh, lowerIsBetter: true },
    { key: "it", label: "IT energy", ...it, current: current.itKwh, previous: previous.itKwh, lowerIsBetter: true },
    {
      key: "cooling",
      label: "Cooling energy",
      ...cool,
      current: current.coolingKwh,
      previous: previous.coolingKwh,
      lowerIsBetter: true,
      note: current.coolingShare === null ? "chiller + fans" : `chiller + fans: ${n(current.coolingShare * 100, 1)} % of facility energy`,
    },
    { key: "cost", label: "Energy cost", value: n(current.cost, 0), unit: current.currency ?? "", current: current.cost, previous: previous.cost, lowerIsBetter: true, note: current.currency === "mixed" ? "several currencies: not comparable" : "facility energy × price" },
    { key: "co2e", label: "Emissions", ...co2, current: current.co2eKg, previous: previous.co2eKg, lowerIsBetter: true, note: "facility energy × grid carbon intensity" },
    { key: "inlet", label: "Rack inlet (average)", value: n(current.avgInletC, 1), unit: "°C", current: current.avgInletC, previous: previous.avgInletC, lowerIsBetter: true },
    {
      key: "p95",
      label: "Rack inlet p95 (worst zone)",
      value: n(current.p95InletC, 1),
      unit: "°C",
      current: current.p95InletC,
      previous: previous.p95InletC,
      lowerIsBetter: true,
      note: current.p95InletWorst ? `${current.p95InletWorst}; ASHRAE recommends ≤ 27 °C` : undefined,
    },
    { key: "hotspots", label: "Hotspot-hours", value: n(current.hotspotHours, 1), unit: "h", current: current.hotspotHours, previous: previous.hotspotHours, lowerIsBetter: true, note: "series-hours with a rack above 27 °C" },
    { key: "coverage", label: "Data coverage", value: n(current.coverage === null ? null : current.coverage * 100, 1), unit: "%", current: current.coverage, previous: previous.coverage, lowerIsBetter: false, note: `${current.rows.toLocaleString("en")} observations, ${current.series} series` },
  ];
}

export function KpiCards({ current, previous }: { current: Kpis; previous: Kpis }) {
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5" data-testid="kpi-cards">
      {kpiCards(current, previous).map((c) => {
        const delta = change(c.current, c.previous);
        const good = delta === null ? null : c.lowerIsBetter ? delta < 0 : delta > 0;
        return (
          <section key={c.key} className="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200" data-testid={`kpi-${c.key}`} aria-label={c.label}>
            <h3 className="text-xs font-medium text-slate-500">{c.label}</h3>
            <p className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">
              <span data-testid="kpi-value">{c.value}</span>
              {c.unit ? <span className="ml-1 text-sm font-normal text-slate-500">{c.unit}</span> : null}
            </p>
            <p className={cn("text-xs", good === null ? "text-slate-500" : good ? "text-emerald-700" : "text-red-700")} data-testid="kpi-change">
              {delta === null ? "no previous period to compare" : `${delta > 0 ? "▲" : delta < 0 ? "▼" : "="} ${Math.abs(delta * 100).toFixed(1)} % vs previous period`}
            </p>
            {c.note ? <p className="mt-1 text-[11px] leading-snug text-slate-500">{c.note}</p> : null}
          </section>
        );
      })}
    </div>
  );
}

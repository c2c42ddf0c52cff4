import { conventionsLine } from "@/lib/mv/conventions";
import { resolveConventions, type StudySpec } from "@/lib/mv/spec";

const MODELS: Record<StudySpec["model"]["kind"], string> = {
  mean: "mean (intercept only)",
  ols_it: "OLS on IT energy",
  ols_it_cdd: "OLS on IT energy + cooling degree-days/hours",
  towt: "TOWT (time of week and temperature)",
  dc_lift: "OLS on IT energy + IT energy × temperature lift (data centre)",
  auto: "automatic (lowest blocked cross-validation error)",
};

/** A study specification as a definition list: what a reader needs to judge the study. */
export function SpecSummary({ spec }: { spec: StudySpec }) {
  const s = spec.scope;
  const a = spec.assumptions;
  const rows: [string, string][] = [
    [
      "Boundary",
      spec.boundary === "cooling"
        ? `Cooling system, ${(spec.boundarySignals ?? ["chiller_kw", "fan_power_kw"]).join(" + ")} (IPMVP Option B)`
        : "Whole facility (IPMVP Option C)",
    ],
    [
      "Scope",
      [
        s.siteId && `site ${s.siteId}`,
        s.facilityId && `facility ${s.facilityId}`,
        s.clusterId && `cluster ${s.clusterId}`,
        s.zoneId && `zone ${s.zoneId}`,
      ]
        .filter(Boolean)
        .join(", ") || "whole tenant",
    ],
    [
      "Data",
      [
        spec.source.datasetVersionIds.length ? `${spec.source.datasetVersionIds.length} dataset version(s)` : "",
        spec.source.massUntil ? `MASS data received up to ${spec.source.massUntil}` : "",
      ]
        .filter(Boolean)
        .join(" + "),
    ],
    ["Baseline", `${spec.baseline.from.slice(0, 10)} → ${spec.baseline.to.slice(0, 10)}`],
    ["Reporting", `${spec.reporting.from.slice(0, 10)} → ${spec.reporting.to.slice(0, 10)}`],
    [
      "Model",
      `${MODELS[spec.model.kind]}, ${spec.granularity}${spec.model.kind === "ols_it_cdd" || spec.model.kind === "dc_lift" ? (spec.model.balancePointC == null ? ", balance point searched" : `, balance point ${spec.model.balancePointC} °C`) : ""}`,
    ],
    [
      "Price / carbon",
      `${a.energyPrice.source === "fixed" ? `${a.energyPrice.perKwh} ${a.energyPrice.currency}/kWh` : "from the data"} / ${a.carbonIntensity.source === "fixed" ? `${a.carbonIntensity.gPerKwh} g/kWh` : "from the data"}`,
    ],
    [
      "Exclusions",
      a.exclusions.map((e) => `${e.from.slice(0, 10)} → ${e.to.slice(0, 10)} (${e.reason})`).join("; ") || "none",
    ],
    [
      "Data rules",
      `${spec.granularity === "daily" ? `a day counts with ≥ ${a.sufficiency.minHoursPerDay ?? 12} complete hours (scaled to 24 h); ` : ""}stale meter readings ${a.dataQuality?.includeFlagged ? "kept" : "left out"}`,
    ],
    ["Adjustments", a.adjustments.map((x) => `${x.at.slice(0, 10)}: ${x.kwh} kWh (${x.reason})`).join("; ") || "none"],
    [
      "Conventions",
      `${conventionsLine(resolveConventions(spec))}${spec.conventions ? "" : " (stored before conventions were selectable)"}`,
    ],
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm md:grid-cols-[10rem_1fr]">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-medium text-slate-700">{k}</dt>
          <dd className="text-slate-900">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { RecommendationViewSchema } from "@/lib/biocore/serialize";
import type { z } from "zod";

type Rec = z.infer<typeof RecommendationViewSchema>;

const kwh = (v: number) => `${v > 0 ? "+" : ""}${v.toLocaleString("en", { maximumFractionDigits: 0 })} kWh`;

const STATUS_TONE: Record<Rec["status"], "blue" | "green" | "neutral"> = {
  new: "blue",
  acknowledged: "green",
  implemented: "green",
  verified: "green",
  dismissed: "neutral",
  rejected: "neutral",
};

export function StatusBadge({ rec }: { rec: Pick<Rec, "status" | "actionable" | "stale"> }) {
  if (!rec.actionable) return <Badge tone="red">{rec.stale ? "stale" : "flagged"}</Badge>;
  return <Badge tone={STATUS_TONE[rec.status]}>{rec.status}</Badge>;
}

/** Recommendations as a table: action, expected 24 h impact, status; each links to its detail. */
export function RecommendationList({ items, testId = "recommendations" }: { items: Rec[]; testId?: string }) {
  if (items.length === 0) return <p className="text-sm text-slate-600">No recommendations.</p>;
  return (
    <table className="min-w-full text-sm" data-testid={testId}>
      <thead className="border-b border-slate-200 text-left text-xs text-slate-500">
        <tr>
          <th className="px-2 py-2 font-medium">Recommendation</th>
          <th className="px-2 py-2 font-medium">Where</th>
          <th className="px-2 py-2 text-right font-medium">Energy, 24 h</th>
          <th className="px-2 py-2 text-right font-medium">PUE Δ</th>
          <th className="px-2 py-2 font-medium">Status</th>
          <th className="px-2 py-2 font-medium">Received (UTC)</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {items.map((r) => (
          <tr key={r.id}>
            <td className="px-2 py-1.5">
              <Link className="text-brand-700 underline" href={`/recommendations/${r.id}`}>
                {r.category.replace(/_/g, " ")}: {r.action.type.replace(/_/g, " ")} {r.action.current ?? "?"} →{" "}
                {r.action.suggested ?? "?"} {r.action.units}
              </Link>
            </td>
            <td className="px-2 py-1.5 text-xs">
              {[r.tenant_id, r.site_id, r.cluster_id ?? r.zone_id].filter(Boolean).join(" / ")}
            </td>
            <td className="px-2 py-1.5 text-right tabular-nums">{kwh(r.energy_kwh_24h)}</td>
            <td className="px-2 py-1.5 text-right tabular-nums">{r.expected_impact.pue_delta.toFixed(3)}</td>
            <td className="px-2 py-1.5">
              <StatusBadge rec={r} />
            </td>
            <td className="px-2 py-1.5 text-xs text-slate-600">{r.created_at.slice(0, 19).replace("T", " ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import Link from "next/link";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/tables/table";
import { Badge } from "@/components/ui/badge";
import type { RecommendationViewSchema } from "@/lib/biocore/serialize";
import type { z } from "zod";
import { formatKwh, formatUnit } from "@/lib/format";

type Rec = z.infer<typeof RecommendationViewSchema>;

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
    <Table label="Recommendations" testId={testId}>
      <THead>
        <Th>Recommendation</Th>
        <Th>Where</Th>
        <Th numeric>Energy, 24 h</Th>
        <Th numeric>PUE Δ</Th>
        <Th>Status</Th>
        <Th>Received (UTC)</Th>
      </THead>
      <TBody>
        {items.map((r) => (
          <Tr key={r.id}>
            <Td>
              <Link className="text-brand-700 underline" href={`/recommendations/${r.id}`}>
                {r.category.replace(/_/g, " ")}: {r.action.type.replace(/_/g, " ")} {r.action.current ?? "?"} →{" "}
                {r.action.suggested ?? "?"} {formatUnit(r.action.units)}
              </Link>
            </Td>
            <Td className="text-xs">
              {[r.tenant_id, r.site_id, r.cluster_id ?? r.zone_id].filter(Boolean).join(" / ")}
            </Td>
            <Td numeric>{formatKwh(r.energy_kwh_24h, { signed: true })}</Td>
            <Td numeric>{r.expected_impact.pue_delta.toFixed(3)}</Td>
            <Td>
              <StatusBadge rec={r} />
            </Td>
            <Td className="text-xs text-slate-600">{r.created_at.slice(0, 19).replace("T", " ")}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

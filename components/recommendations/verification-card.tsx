import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/tables/table";
import type { ImplementationView } from "@/lib/verification/serialize";
import { formatKwh, formatNumber } from "@/lib/format";
import { PredictedVerifiedChart, type ChartBar } from "./predicted-verified-chart";

const VERDICT_TONE = { confirmed: "green", not_confirmed: "red", inconclusive: "amber" } as const;
export const verdictLabel = (v: string) => v.replace("_", " ");

/** What was done with a recommendation and, when implemented, predicted vs verified with the verdict. */
export function VerificationCard({ view }: { view: ImplementationView }) {
  if (view.outcome === "rejected") {
    return (
      <Card title="Implementation" className="mt-4">
        <p className="text-sm" data-testid="implementation-status">
          Rejected by {view.created_by} at {view.created_at.slice(0, 16).replace("T", " ")} UTC: “{view.reason}”
        </p>
      </Card>
    );
  }
  const c = view.comparison!;
  const v = view.verification!;
  const ap = c.applied;
  const bars: ChartBar[] = [
    { label: "Predicted (BioCore)", kwh: c.predicted.energyKwh, tone: "predicted" },
    ...(ap?.scaled ? [{ label: "Predicted, change applied", kwh: ap.scaled.energyKwh, tone: "scaled" as const }] : []),
    ...(c.verified
      ? [
          {
            label: "Verified (± 90 %)",
            kwh: c.verified.energyKwh,
            u90: c.verified.energyU90Kwh,
            tone: "verified" as const,
          },
        ]
      : []),
  ];
  return (
    <Card title="Predicted vs verified" className="mt-4">
      <div className="mb-3 flex flex-wrap items-center gap-2 text-sm" data-testid="implementation-status">
        <span>
          Implemented, effective {view.effective_at?.slice(0, 16).replace("T", " ")} UTC
          {c.applied
            ? `, ${c.applied.text}`
            : view.applied_value !== null
              ? `, value applied ${view.applied_value}`
              : ""}
          {view.note ? ` — “${view.note}”` : ""}.
        </span>
        <Badge tone={VERDICT_TONE[c.verdict]}>
          <span data-testid="verdict">{verdictLabel(c.verdict)}</span>
        </Badge>
        {c.position ? (
          <span className="text-xs text-slate-600">
            prediction {c.position === "inside" ? "inside" : c.position} the 90 % band
          </span>
        ) : null}
      </div>
      {ap?.differs ? (
        <p
          className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200"
          data-testid="applied-vs-suggested"
        >
          The value applied differs from the suggestion: {ap.text}.{" "}
          {ap.scaled
            ? `The prediction is scaled by the change applied ÷ the change suggested (×${formatNumber(ap.factor, 2)}): ${formatKwh(ap.scaled.energyKwh)} instead of ${formatKwh(c.predicted.energyKwh)}; the verdict judges the prediction as made.`
            : `Prediction not applicable: ${ap.notApplicable}.`}
        </p>
      ) : null}
      <div className="grid gap-4 xl:grid-cols-2">
        <Table label="Predicted vs verified saving" testId="predicted-vs-verified">
          <THead>
            <Th>Saving over {formatNumber(c.hours / 24, 0)} days</Th>
            <Th numeric>Predicted (BioCore)</Th>
            <Th numeric>Verified (± 90 %)</Th>
          </THead>
          <TBody>
            <Tr>
              <Td>Energy</Td>
              <Td numeric data-testid="predicted-kwh">
                {formatKwh(c.predicted.energyKwh)}
              </Td>
              <Td numeric data-testid="verified-kwh">
                {c.verified ? `${formatKwh(c.verified.energyKwh)} ± ${formatKwh(c.verified.energyU90Kwh)}` : "—"}
              </Td>
            </Tr>
            {ap?.scaled ? (
              <Tr>
                <Td>Energy, scaled to the change applied</Td>
                <Td numeric data-testid="scaled-kwh">
                  {formatKwh(ap.scaled.energyKwh)}
                </Td>
                <Td numeric>—</Td>
              </Tr>
            ) : null}
            <Tr>
              <Td>Cost{c.currency ? ` (${c.currency})` : ""}</Td>
              <Td numeric>{formatNumber(c.predicted.cost)}</Td>
              <Td numeric>
                {c.verified?.cost !== null && c.verified
                  ? `${formatNumber(c.verified.cost)} ± ${formatNumber(c.verified.costU90)}`
                  : "—"}
              </Td>
            </Tr>
            <Tr>
              <Td>CO2e (kg)</Td>
              <Td numeric>{formatNumber(c.predicted.co2eKg)}</Td>
              <Td numeric>
                {c.verified?.co2eKg !== null && c.verified
                  ? `${formatNumber(c.verified.co2eKg)} ± ${formatNumber(c.verified.co2eU90Kg)}`
                  : "—"}
              </Td>
            </Tr>
          </TBody>
        </Table>
        <div className="text-sm">
          <ul className="list-disc pl-5" data-testid="verdict-reasons">
            {c.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          <p className="mt-2 text-xs text-slate-600">{c.attribution}</p>
        </div>
      </div>
      <PredictedVerifiedChart bars={bars} />
      <p className="mt-3 text-xs text-slate-600" data-testid="verification-study">
        Verification study{" "}
        <Link className="underline" href={`/mv/studies/${v.study_id}`}>
          {v.study_name}
        </Link>{" "}
        ({view.boundary === "cooling" ? "cooling boundary, Option B" : "facility meter, Option C"}; scope{" "}
        {[view.scope.site_id, view.scope.cluster_id, view.scope.zone_id].filter(Boolean).join("/")}; baseline{" "}
        {view.baseline?.from.slice(0, 10)} – {view.baseline?.to.slice(0, 10)}, reporting{" "}
        {view.reporting?.from.slice(0, 10)} – {view.reporting?.to.slice(0, 10)}) · {v.status}: {v.note} · {v.reports}{" "}
        report{v.reports === 1 ? "" : "s"}
        {v.latest_report_id ? (
          <>
            {" "}
            ·{" "}
            <Link className="underline" href={`/mv/reports/${v.latest_report_id}`}>
              latest report
            </Link>
          </>
        ) : null}
      </p>
    </Card>
  );
}

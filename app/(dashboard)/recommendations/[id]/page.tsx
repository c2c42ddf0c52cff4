import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { StatusBadge } from "@/components/recommendations/recommendation-list";
import { ImplementationForm } from "@/components/recommendations/implementation-form";
import { ReviewForm } from "@/components/recommendations/review-form";
import { VerificationCard } from "@/components/recommendations/verification-card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/tables/table";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { formatUnit } from "@/lib/format";
import { actorNamer } from "@/lib/users/actor-names";
import { getRecommendationOrThrow, listCallsForRequest } from "@/lib/biocore/recommendations";
import { serializeCall, serializeRecommendation } from "@/lib/biocore/serialize";
import { AppError } from "@/lib/http/app-error";
import { getImplementationView } from "@/lib/verification/implementations";
import { recordImplementationAction, reviewRecommendationAction } from "../actions";

export const metadata: Metadata = { title: "Recommendation" };

const signed = (v: number, digits = 1) =>
  `${v > 0 ? "+" : ""}${v.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits })}`;

export default async function RecommendationPage({ params }: { params: Promise<{ id: string }> }) {
  const principal = await requireRole("recommendation.read");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const found = await getRecommendationOrThrow(principal, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const r = serializeRecommendation(found);
  const calls = (await listCallsForRequest(found.massRequestId)).map(serializeCall);
  const implementationView = await getImplementationView(principal, id);
  const name = await actorNamer(principal, [r.status_by, implementationView?.created_by]);
  const implementation = implementationView
    ? { ...implementationView, created_by: name(implementationView.created_by) }
    : null;
  const a = r.action;
  return (
    <>
      <PageHeader
        title={`${r.category.replace(/_/g, " ")}: ${a.type.replace(/_/g, " ")}`}
        description={
          <>
            {r.rec_id} (priority {r.priority}) for{" "}
            <Link className="underline" href={`/requests/${r.mass_request_id}`}>
              request {found.massRequest.requestId}
            </Link>{" "}
            · {r.model.name} {r.model.version} · policy {r.model.policy_id}
          </>
        }
        actions={<StatusBadge rec={r} />}
      />
      {!r.actionable ? (
        <div
          className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200"
          role="alert"
          data-testid="violations"
        >
          Not actionable{r.stale ? " (served from cache while BioCore was unavailable)" : ""}.{" "}
          {r.violations.length ? `The pilot's guardrail check found: ${r.violations.join("; ")}.` : ""}
        </div>
      ) : null}
      <div className="grid gap-4 xl:grid-cols-3">
        <Card title="Suggested action (never executed by the pilot)">
          <dl className="grid grid-cols-2 gap-y-1 text-sm" data-testid="rec-action">
            <dt className="text-slate-600">Target</dt>
            <dd className="break-all font-mono text-xs">{a.target}</dd>
            <dt className="text-slate-600">Current → suggested</dt>
            <dd>
              {a.current ?? "—"} → {a.suggested ?? "—"} {formatUnit(a.units)}
            </dd>
            <dt className="text-slate-600">Change</dt>
            <dd>
              {a.delta === null ? "—" : signed(a.delta, 2)} {formatUnit(a.units)}
            </dd>
          </dl>
        </Card>
        <Card title="Expected impact">
          <dl className="grid grid-cols-2 gap-y-1 text-sm" data-testid="rec-impact">
            <dt className="text-slate-600">Facility power</dt>
            <dd className="tabular-nums">{signed(r.expected_impact.facility_power_kw_delta)} kW</dd>
            <dt className="text-slate-600">Energy over 24 h</dt>
            <dd className="tabular-nums">{signed(r.energy_kwh_24h, 0)} kWh</dd>
            <dt className="text-slate-600">PUE</dt>
            <dd className="tabular-nums">{signed(r.expected_impact.pue_delta, 3)}</dd>
            <dt className="text-slate-600">CO2e per day</dt>
            <dd className="tabular-nums">{signed(r.expected_impact.co2e_kg_per_day_delta)} kg</dd>
          </dl>
        </Card>
        <Card title="Review">
          {r.status === "new" && allowed(principal, "recommendation.acknowledge") ? (
            <ReviewForm id={r.id} serverAction={reviewRecommendationAction} />
          ) : (
            <p className="text-sm" data-testid="review-status">
              {r.status === "new"
                ? "Not reviewed yet."
                : `${r.status} by ${name(r.status_by)} at ${r.status_at?.slice(0, 19).replace("T", " ")} UTC${r.status_comment ? `: “${r.status_comment}”` : ""}`}
            </p>
          )}
        </Card>
      </div>
      {implementation ? (
        <VerificationCard view={implementation} />
      ) : allowed(principal, "recommendation.acknowledge") ? (
        <Card title="Implementation (done by the operator, outside the pilot)" className="mt-4">
          <ImplementationForm
            id={r.id}
            suggested={a.suggested}
            units={formatUnit(a.units)}
            serverAction={recordImplementationAction}
          />
        </Card>
      ) : null}
      <Card title="Why" className="mt-4">
        <p className="text-sm" data-testid="rec-narrative">
          {r.explainability.narrative}
        </p>
        <div className="mt-2 flex flex-wrap gap-1">
          {r.explainability.reason_codes.map((c) => (
            <Badge key={c}>{c}</Badge>
          ))}
          {r.explainability.organism_tags.map((t) => (
            <Badge key={t} tone="blue">
              {t}
            </Badge>
          ))}
        </div>
        <p className="mt-2 text-xs text-slate-600">
          Input fingerprint <span className="font-mono">{r.trace.input_fingerprint}</span> · decision{" "}
          {r.trace.decision_id} · features {r.trace.feature_set_version} · generated {r.trace.generated_at_utc}
        </p>
        <p className="mt-1 text-xs text-slate-600">
          Constraint check:{" "}
          {r.violations.length === 0
            ? "every hard constraint of the request holds (setpoint change limit, predicted p95 inlet limit, no control actions in shadow mode)."
            : r.violations.join("; ")}
        </p>
      </Card>
      <Card title={`Call log of this request (${calls.length})`} className="mt-4">
        <Table label="Call log of this request" testId="call-log">
          <THead>
            <Th>Started (UTC)</Th>
            <Th>Outcome</Th>
            <Th numeric>Latency</Th>
            <Th numeric>Attempts</Th>
            <Th>HTTP</Th>
            <Th>Cache</Th>
            <Th>Breaker</Th>
            <Th>Model</Th>
          </THead>
          <TBody>
            {calls.map((c) => (
              <Tr key={c.id}>
                <Td className="text-xs">{c.started_at.slice(0, 23).replace("T", " ")}</Td>
                <Td>
                  <Badge tone={c.outcome === "error" ? "red" : c.outcome === "stale" ? "amber" : "green"}>
                    {c.outcome}
                  </Badge>
                  {c.error_kind ? <span className="ml-1 text-xs text-slate-600">{c.error_kind}</span> : null}
                </Td>
                <Td numeric>{c.latency_ms} ms</Td>
                <Td numeric>{c.attempts}</Td>
                <Td>{c.http_status ?? "—"}</Td>
                <Td>{c.cache}</Td>
                <Td>{c.breaker_state}</Td>
                <Td className="text-xs">{c.model.name ? `${c.model.name} ${c.model.version}` : "—"}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}

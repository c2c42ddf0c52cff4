import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SideBySide } from "@/components/mass/side-by-side";
import { Badge } from "@/components/ui/badge";
import { ReAskButton } from "@/components/recommendations/re-ask-button";
import { RecommendationList } from "@/components/recommendations/recommendation-list";
import { Card, PageHeader } from "@/components/ui/card";
import { allowed } from "@/lib/access/permissions";
import { listRecommendations } from "@/lib/biocore/recommendations";
import { serializeRecommendation } from "@/lib/biocore/serialize";
import { requireRole } from "@/lib/auth/require-user";
import { changedPointers, flattenJson } from "@/lib/mass/flatten";
import { getMassRequest, massEvents } from "@/lib/mass/repo";
import { massTimeline } from "@/lib/mass/timeline";
import type { MassWarning } from "@/lib/mass/types";
import { reAskAction } from "./actions";

export const metadata: Metadata = { title: "MASS request" };

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const principal = await requireRole("mass.read");
  const { id } = await params;
  const request = /^[0-9a-f-]{36}$/i.test(id) ? await getMassRequest(id, principal.tenantIds) : null;
  if (!request) notFound();
  const raw = flattenJson(request.raw);
  const normalized = flattenJson(request.normalized);
  const changed = changedPointers(raw, normalized);
  const warnings = (Array.isArray(request.warnings) ? request.warnings : []) as MassWarning[];
  const timeline = massTimeline(request, await massEvents(request));
  const recommendations = allowed(principal, "recommendation.read")
    ? (await listRecommendations(principal, { mass_request_id: request.id })).map(serializeRecommendation)
    : null;
  return (
    <>
      <PageHeader
        title={`Request ${request.requestId}`}
        description={`${request.kind === "enterprise" ? "Enterprise MASS" : "MASS Simple"} ${request.schemaVersion} · tenant ${request.tenantId}${request.siteId ? ` · site ${request.siteId}` : ""}`}
      />
      <div className="mb-4 grid gap-4 md:grid-cols-3">
        <Card title="Identity">
          <dl className="grid grid-cols-3 gap-y-1 text-sm">
            <dt className="text-slate-500">Status</dt>
            <dd className="col-span-2" data-testid="request-status">
              <Badge>{request.status}</Badge>
            </dd>
            <dt className="text-slate-500">Correlation</dt>
            <dd className="col-span-2 font-mono text-xs break-all">{request.correlationId}</dd>
            <dt className="text-slate-500">Idempotency key</dt>
            <dd className="col-span-2 font-mono text-xs break-all">{request.idempotencyKey}</dd>
            <dt className="text-slate-500">Payload hash</dt>
            <dd className="col-span-2 font-mono text-xs break-all" data-testid="payload-hash">
              {request.payloadHash}
            </dd>
            <dt className="text-slate-500">Received</dt>
            <dd className="col-span-2">{request.receivedAt.toISOString()}</dd>
          </dl>
        </Card>
        <Card title={`Warnings (${warnings.length})`}>
          {warnings.length === 0 ? (
            <p className="text-sm text-slate-500">None.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {warnings.map((w) => (
                <li key={`${w.pointer}-${w.code}`}>
                  <span className="font-mono text-xs">{w.pointer}</span>: {w.message}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Timeline">
          <ol className="space-y-1 text-sm" data-testid="timeline">
            {timeline.map((t, i) => (
              <li key={i} className="flex justify-between gap-2">
                <span>
                  {t.event}
                  {t.detail ? <span className="text-slate-500"> · {t.detail}</span> : null}
                </span>
                <span className="text-xs whitespace-nowrap text-slate-500">{t.at.slice(11, 19)}</span>
              </li>
            ))}
          </ol>
        </Card>
      </div>
      {recommendations ? (
        <Card
          title={`Recommendations (${recommendations.length})`}
          className="mb-4"
          actions={
            allowed(principal, "mass.ingest") ? <ReAskButton id={request.id} serverAction={reAskAction} /> : null
          }
        >
          <RecommendationList items={recommendations} testId="request-recommendations" />
        </Card>
      ) : null}
      <Card title={`Raw and normalized (${changed.size} differences highlighted)`}>
        <SideBySide left={raw} right={normalized} changed={changed} />
      </Card>
    </>
  );
}

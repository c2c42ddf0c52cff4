import { RetryFailedButton } from "@/components/recommendations/retry-failed-button";
import { Badge } from "@/components/ui/badge";
import type { BiocoreStatusSchema } from "@/lib/biocore/status";
import type { z } from "zod";
import type { FormAction } from "@/lib/http/action-result";

export function BiocoreStatusPanel({
  status,
  retry,
}: {
  status: z.infer<typeof BiocoreStatusSchema>;
  /** The page's retryFailedJobsAction, when the user may put failed jobs back in the queue. */
  retry?: FormAction;
}) {
  const s = status;
  const tone = s.health.status === "ok" ? "green" : s.health.status === "degraded" ? "amber" : "red";
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm md:grid-cols-4" data-testid="biocore-status">
      <dt className="text-slate-600">Engine</dt>
      <dd>{s.engine === "reference" ? "built-in reference engine" : s.base_url}</dd>
      <dt className="text-slate-600">Health</dt>
      <dd>
        <Badge tone={tone}>{s.health.status}</Badge>
        {s.health.error ? <span className="ml-1 text-xs text-slate-600">{s.health.error}</span> : null}
      </dd>
      <dt className="text-slate-600">Version</dt>
      <dd className="text-xs">
        {s.version
          ? `${s.version.name} ${s.version.version} · model ${s.version.model_version} · ${s.version.policy_id}`
          : "—"}
      </dd>
      <dt className="text-slate-600">Circuit</dt>
      <dd data-testid="biocore-circuit">
        <Badge tone={s.circuit === "closed" ? "green" : s.circuit === "half_open" ? "amber" : "red"}>
          {s.circuit.replace("_", "-")}
        </Badge>
      </dd>
      <dt className="text-slate-600">Calls to BioCore, last hour</dt>
      <dd className="tabular-nums" data-testid="biocore-calls">
        {s.last_hour.calls}, {s.last_hour.errors} failed ({s.last_hour.cache_hits} more from cache, {s.last_hour.stale}{" "}
        answered stale
        {s.last_hour.rejected > 0
          ? `, ${s.last_hour.rejected} refused by the client without calling BioCore (breaker open or too many at once)`
          : ""}
        )
      </dd>
      <dt className="text-slate-600">BioCore error rate / p95 latency</dt>
      <dd className="tabular-nums">
        {s.last_hour.error_rate === null ? "—" : `${(s.last_hour.error_rate * 100).toFixed(1)} %`} /{" "}
        {s.last_hour.p95_latency_ms === null ? "—" : `${Math.round(s.last_hour.p95_latency_ms)} ms`}
      </dd>
      <dt className="text-slate-600">Job queue</dt>
      <dd className="tabular-nums">
        {s.queue.pending} pending, {s.queue.running} running, {s.queue.failed} failed
        {s.queue.failed > 0 ? (
          <span className="mt-1 block text-xs text-slate-600">
            A failed job was refused by BioCore or answered outside the contract after its attempts (an outage never
            fails a job).
          </span>
        ) : null}
        {retry ? <RetryFailedButton failed={s.queue.failed} serverAction={retry} /> : null}
      </dd>
    </dl>
  );
}

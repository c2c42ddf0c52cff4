"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { FormStatus } from "@/components/admin/form-status";
import { Button } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/field";

export type AskScopeChoice = { tenantId: string; siteId: string; clusterIds: string[] };

/**
 * "Ask BioCore" about any stored data: a site (or one of its clusters) of the data, over the last
 * day or week of its data or a window in UTC. The answer names the queued job's request, whose
 * recommendations the link lists once the worker has asked BioCore.
 */
export function AskBioCoreForm({
  scopes,
  serverAction,
}: {
  scopes: AskScopeChoice[];
  serverAction: FormAction<{ massRequestId: string; jobId: string; replayed: boolean }>;
}) {
  const [state, action, pending] = useActionState(serverAction, null);
  const [preset, setPreset] = useState("last_day");
  const tenants = new Set(scopes.map((s) => s.tenantId)).size;
  const label = (s: AskScopeChoice, cluster: string | null) =>
    `${tenants > 1 ? `${s.tenantId} · ` : ""}${s.siteId}${cluster ? ` / cluster ${cluster}` : " (whole site)"}`;
  if (scopes.length === 0)
    return <p className="text-sm text-slate-600">No stored data yet: upload a dataset or send MASS data first.</p>;
  return (
    <form action={action} className="grid gap-3 md:grid-cols-5 md:items-end" data-testid="ask-biocore">
      <div className="md:col-span-2">
        <Label htmlFor="ask-scope">Site or cluster</Label>
        <Select
          id="ask-scope"
          name="scope"
          defaultValue={JSON.stringify([scopes[0]!.tenantId, scopes[0]!.siteId, null])}
        >
          {scopes.flatMap((s) => [
            <option key={`${s.tenantId}/${s.siteId}`} value={JSON.stringify([s.tenantId, s.siteId, null])}>
              {label(s, null)}
            </option>,
            ...s.clusterIds.map((c) => (
              <option key={`${s.tenantId}/${s.siteId}/${c}`} value={JSON.stringify([s.tenantId, s.siteId, c])}>
                {label(s, c)}
              </option>
            )),
          ])}
        </Select>
      </div>
      <div>
        <Label htmlFor="ask-window">Window</Label>
        <Select id="ask-window" name="window" value={preset} onChange={(e) => setPreset(e.target.value)}>
          <option value="last_day">last day of data</option>
          <option value="last_week">last 7 days of data</option>
          <option value="custom">custom (UTC)</option>
        </Select>
      </div>
      {preset === "custom" ? (
        <>
          <div>
            <Label htmlFor="ask-from">From (UTC)</Label>
            <Input id="ask-from" name="from" type="datetime-local" required />
          </div>
          <div>
            <Label htmlFor="ask-to">To (UTC)</Label>
            <Input id="ask-to" name="to" type="datetime-local" required />
          </div>
        </>
      ) : null}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Asking…" : "Ask BioCore"}
        </Button>
      </div>
      <div className="md:col-span-5" data-testid="ask-biocore-result">
        <FormStatus state={state} />
        {state?.ok && state.data ? (
          <p className="mt-2 text-sm">
            <Link
              className="font-medium text-brand-700 underline"
              href={`/recommendations?mass_request_id=${state.data.massRequestId}`}
            >
              Its recommendations
            </Link>{" "}
            ·{" "}
            <Link className="text-brand-700 underline" href={`/requests/${state.data.massRequestId}`}>
              the request built from the data
            </Link>
          </p>
        ) : null}
      </div>
    </form>
  );
}

"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/field";
import { RoleSelect } from "./role-select";
import { FormStatus } from "./form-status";

export function CreateTokenForm({
  defaultDays,
  maxDays,
  serverAction,
}: {
  defaultDays: number;
  maxDays: number;
  serverAction: FormAction<{ secret: string; name: string }>;
}) {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <div className="space-y-3">
      <form action={action} className="grid gap-3 md:grid-cols-5 md:items-end">
        <div className="md:col-span-2">
          <Label htmlFor="token-name">Name (e.g. the collector&apos;s site)</Label>
          <Input id="token-name" name="name" required maxLength={100} />
        </div>
        <div>
          <Label htmlFor="token-role">Role</Label>
          <RoleSelect id="token-role" defaultValue="analyst" />
        </div>
        <div>
          <Label htmlFor="token-tenants">Tenants (comma-separated)</Label>
          <Input id="token-tenants" name="tenant_ids" placeholder="all" />
        </div>
        <div>
          <Label htmlFor="token-expiry">Expires in (days, 1–{maxDays})</Label>
          <Input
            id="token-expiry"
            name="expires_in_days"
            type="number"
            required
            min={1}
            max={maxDays}
            step={1}
            defaultValue={defaultDays}
          />
        </div>
        <div className="md:col-span-5">
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create token"}
          </Button>
        </div>
      </form>
      {state?.ok && state.data ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" role="status">
          <p className="font-medium text-amber-900">
            Token “{state.data.name}” created. Copy it now: it is shown only once.
          </p>
          <code
            className="mt-2 block break-all rounded bg-white px-2 py-1.5 font-mono text-xs ring-1 ring-amber-200"
            data-testid="new-token-secret"
          >
            {state.data.secret}
          </code>
        </div>
      ) : (
        <FormStatus state={state} />
      )}
    </div>
  );
}

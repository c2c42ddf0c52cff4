"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/field";
import { RoleSelect } from "./role-select";
import { FormStatus } from "./form-status";

export function CreateUserForm({ serverAction }: { serverAction: FormAction }) {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="grid gap-3 md:grid-cols-6 md:items-end">
      <div className="md:col-span-2">
        <Label htmlFor="new-email">Email</Label>
        <Input id="new-email" name="email" type="email" required />
      </div>
      <div>
        <Label htmlFor="new-role">Role</Label>
        <RoleSelect id="new-role" defaultValue="viewer" />
      </div>
      <div>
        <Label htmlFor="new-tenants">Tenants (comma-separated, empty = all)</Label>
        <Input id="new-tenants" name="tenant_ids" placeholder="all" />
      </div>
      <div>
        <Label htmlFor="new-password">Initial password (≥ 12 chars)</Label>
        <Input id="new-password" name="password" type="password" autoComplete="new-password" required minLength={12} />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create user"}
      </Button>
      <div className="md:col-span-6">
        <FormStatus state={state} />
      </div>
    </form>
  );
}

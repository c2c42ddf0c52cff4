"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { RoleSelect } from "./role-select";
import { FormStatus } from "./form-status";

export function UserRowActions({
  id,
  role,
  disabled,
  serverAction,
}: {
  id: string;
  role: string;
  disabled: boolean;
  serverAction: FormAction;
}) {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <form action={action} className="flex items-center gap-1">
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="op" value="role" />
          <RoleSelect defaultValue={role} aria-label="Role" className="w-28" />
          <Button type="submit" variant="secondary" disabled={pending}>
            Set role
          </Button>
        </form>
        <form action={action}>
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="op" value={disabled ? "enable" : "disable"} />
          <Button type="submit" variant={disabled ? "secondary" : "danger"} disabled={pending}>
            {disabled ? "Enable" : "Disable"}
          </Button>
        </form>
        <form action={action} className="flex items-center gap-1">
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="op" value="password" />
          <Input
            name="password"
            type="password"
            placeholder="new password"
            aria-label="New password"
            autoComplete="new-password"
            className="w-36"
          />
          <Button type="submit" variant="secondary" disabled={pending}>
            Reset password
          </Button>
        </form>
      </div>
      <FormStatus state={state} />
    </div>
  );
}

"use client";

import { useActionState } from "react";
import { revokeTokenAction } from "@/app/(dashboard)/admin/tokens/actions";
import { Button } from "@/components/ui/button";
import { FormStatus } from "./form-status";

export function RevokeTokenButton({ id }: { id: string }) {
  const [state, action, pending] = useActionState(revokeTokenAction, null);
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="id" value={id} />
      <Button type="submit" variant="danger" disabled={pending}>
        Revoke
      </Button>
      {state && !state.ok ? <FormStatus state={state} /> : null}
    </form>
  );
}

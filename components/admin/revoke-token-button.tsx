"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { Button } from "@/components/ui/button";
import { FormStatus } from "./form-status";

export function RevokeTokenButton({ id, serverAction }: { id: string; serverAction: FormAction }) {
  const [state, action, pending] = useActionState(serverAction, null);
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

"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { FormStatus } from "@/components/admin/form-status";
import { Button } from "@/components/ui/button";

export function ReAskButton({ id, serverAction }: { id: string; serverAction: FormAction }) {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="flex flex-col items-end gap-2">
      <input type="hidden" name="id" value={id} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Queuing…" : "Ask BioCore again"}
      </Button>
      <FormStatus state={state} />
    </form>
  );
}

"use client";

import { useActionState } from "react";
import { reAskAction } from "@/app/(dashboard)/requests/[id]/actions";
import { FormStatus } from "@/components/admin/form-status";
import { Button } from "@/components/ui/button";

export function ReAskButton({ id }: { id: string }) {
  const [state, action, pending] = useActionState(reAskAction, null);
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

"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { FormStatus } from "@/components/admin/form-status";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/field";

/** Records what the operator did (the pilot itself never acts): implemented, or rejected with a reason. */
export function ImplementationForm({
  id,
  suggested,
  units,
  serverAction,
}: {
  id: string;
  suggested: number | null;
  units: string;
  serverAction: FormAction;
}) {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="grid gap-2" data-testid="implementation-form">
      <input type="hidden" name="id" value={id} />
      <div className="grid grid-cols-2 gap-2">
        <div>
          <Label htmlFor="effective_at">Took effect (UTC)</Label>
          <Input id="effective_at" name="effective_at" type="datetime-local" />
        </div>
        <div>
          <Label htmlFor="applied_value">Value applied ({units})</Label>
          <Input
            id="applied_value"
            name="applied_value"
            type="number"
            step="any"
            defaultValue={suggested ?? undefined}
          />
        </div>
      </div>
      <div>
        <Label htmlFor="note">Note</Label>
        <Input id="note" name="note" maxLength={2000} placeholder="e.g. applied after the change review" />
      </div>
      <div>
        <Label htmlFor="reason">Reason (when rejected)</Label>
        <Input id="reason" name="reason" maxLength={2000} placeholder="e.g. change freeze" />
      </div>
      <div className="flex gap-2">
        <Button type="submit" name="outcome" value="implemented" disabled={pending}>
          Mark implemented
        </Button>
        <Button type="submit" name="outcome" value="rejected" variant="secondary" disabled={pending}>
          Mark rejected
        </Button>
      </div>
      <FormStatus state={state} />
    </form>
  );
}

"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { FormStatus } from "@/components/admin/form-status";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/field";

export function ReviewForm({ id, serverAction }: { id: string; serverAction: FormAction }) {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="grid gap-2" data-testid="review-form">
      <input type="hidden" name="id" value={id} />
      <div>
        <Label htmlFor="comment">Comment (kept in the audit trail)</Label>
        <Input
          id="comment"
          name="comment"
          maxLength={2000}
          placeholder="e.g. scheduled with the facility team for Tuesday"
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" name="status" value="acknowledged" disabled={pending}>
          Acknowledge
        </Button>
        <Button type="submit" name="status" value="dismissed" variant="secondary" disabled={pending}>
          Dismiss
        </Button>
      </div>
      <FormStatus state={state} />
    </form>
  );
}

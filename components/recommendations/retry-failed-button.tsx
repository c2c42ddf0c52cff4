"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { FormStatus } from "@/components/admin/form-status";
import { Button } from "@/components/ui/button";

/**
 * Puts the failed recommendation jobs of the user's tenants back in the queue (audited). Always shown
 * to those who may (disabled with none failed), so its answer stays on screen once the count is 0.
 */
export function RetryFailedButton({ failed, serverAction }: { failed: number; serverAction: FormAction }) {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="flex flex-col items-start gap-2" data-testid="retry-failed">
      <Button type="submit" variant="secondary" disabled={pending || failed === 0}>
        {pending ? "Queuing…" : `Retry failed jobs (${failed})`}
      </Button>
      <FormStatus state={state} />
    </form>
  );
}

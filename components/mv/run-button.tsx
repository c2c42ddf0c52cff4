"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { FormStatus } from "@/components/admin/form-status";
import { Button } from "@/components/ui/button";

export function RunStudyButton({
  studyId,
  revision,
  label = "Run study",
  serverAction,
}: {
  studyId: string;
  revision?: number;
  label?: string;
  serverAction: FormAction;
}) {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="flex flex-col gap-2">
      <input type="hidden" name="study_id" value={studyId} />
      {revision ? <input type="hidden" name="revision" value={revision} /> : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Running…" : label}
      </Button>
      <FormStatus state={state} />
    </form>
  );
}

"use server";

import { revalidatePath } from "next/cache";
import { reAsk } from "@/lib/biocore/re-ask";
import { uuidParam } from "@/lib/http/params";
import { withAction } from "@/lib/handlers/with-action";

export const reAskAction = withAction("mass.ingest", async ({ principal, form, context }) => {
  const id = uuidParam(String(form.get("id") ?? ""), "MASS request");
  await reAsk(principal, id, context);
  revalidatePath(`/requests/${id}`);
  return { ok: true, message: "Queued: BioCore will be asked again in a moment (reload to see the answer)." };
});

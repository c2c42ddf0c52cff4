"use server";
// Saved views (the filter bar's "Save view" and "Views" menu): a signed-in user's own only.

import { revalidatePath } from "next/cache";
import { withAction } from "@/lib/handlers/with-action";
import { uuidParam } from "@/lib/http/params";
import { removeView, saveView } from "@/lib/views/manage";

export const saveViewAction = withAction("view.manage", async ({ principal, form, context }) => {
  const view = await saveView(
    principal,
    {
      name: String(form.get("name") ?? ""),
      path: String(form.get("path") ?? ""),
      query: String(form.get("query") ?? ""),
    },
    context,
  );
  revalidatePath(view.path);
  return { ok: true, message: `View "${view.name}" saved.` };
});

export const deleteViewAction = withAction("view.manage", async ({ principal, form, context }) => {
  const view = await removeView(principal, uuidParam(String(form.get("id") ?? ""), "saved view"), context);
  revalidatePath(view.path);
  return { ok: true, message: `View "${view.name}" deleted.` };
});

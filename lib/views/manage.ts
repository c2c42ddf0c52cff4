// Saved views: a signed-in user saves, lists, opens and deletes their own, never another user's.
// Saving and deleting are audited.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { AppError } from "@/lib/http/app-error";
import { MAX_VIEWS_PER_USER, SaveViewInput, sanitizeViewParams, viewHref, type SaveViewRequest } from "./params";
import {
  deleteView,
  inViewTransaction,
  insertView,
  listViews,
  lockAndCountViews,
  viewNamed,
  type StoredView,
} from "./repo";

export type { StoredView };

function ownerOf(principal: Principal): string {
  if (principal.kind !== "user") throw new AppError("forbidden", "Saved views belong to a signed-in user");
  return principal.id;
}

export function viewsOf(principal: Principal): Promise<StoredView[]> {
  return principal.kind === "user" ? listViews(principal.id) : Promise.resolve([]);
}

/** The user's views as the filter bar's menu lists them: name and the URL each opens. */
export async function viewMenu(principal: Principal): Promise<{ id: string; name: string; href: string }[]> {
  return (await viewsOf(principal)).map((v) => ({ id: v.id, name: v.name, href: viewHref(v) }));
}

export async function saveView(
  principal: Principal,
  input: SaveViewRequest,
  context: RequestContext,
): Promise<StoredView> {
  const userId = ownerOf(principal);
  const { name, path, query } = SaveViewInput.parse(input);
  const params = sanitizeViewParams(query);
  return inViewTransaction(async (tx) => {
    const count = await lockAndCountViews(tx, userId);
    const problems = [];
    if (count >= MAX_VIEWS_PER_USER)
      problems.push({
        pointer: "/name",
        detail: `you have ${count} saved views, the most one user may keep; delete one first`,
        code: "too_many",
      });
    if (await viewNamed(tx, userId, name))
      problems.push({ pointer: "/name", detail: `you already have a view named "${name}"`, code: "duplicate" });
    if (problems.length > 0)
      throw new AppError("conflict", problems.map((p) => p.detail).join("; "), { errors: problems });
    const view = await insertView(tx, userId, { name, path, params });
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: "view.create",
      targetType: "saved_view",
      targetId: view.id,
      inputs: { name, path, params },
      context,
    });
    return view;
  });
}

export async function removeView(principal: Principal, id: string, context: RequestContext): Promise<StoredView> {
  const userId = ownerOf(principal);
  return inViewTransaction(async (tx) => {
    const view = await deleteView(tx, userId, id);
    // Another user's view is answered as missing: its existence is not disclosed.
    if (!view) throw new AppError("not_found", "You have no saved view with this id");
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: "view.delete",
      targetType: "saved_view",
      targetId: view.id,
      outputs: { name: view.name, path: view.path },
      context,
    });
    return view;
  });
}

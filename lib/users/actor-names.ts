// People shown by name or email instead of `user:<uuid>`: one tenant-scoped lookup per page.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { lookupActors, type ActorRef, type ActorRow } from "./repo";

export type { ActorRef };

/** The key an actor is found under: `type:id`, as the serialized views write "created by". */
export function actorKey(type: string, id: string): string {
  return `${type}:${id}`;
}

/** How an actor found by the lookup is written: the user's name and email, or "token <name>". */
export function actorDisplay(row: Pick<ActorRow, "type" | "name" | "email">): string {
  if (row.type === "api_token") return `token ${row.name ?? ""}`.trim();
  if (row.name && row.email) return `${row.name} (${row.email})`;
  return row.email ?? row.name ?? "";
}

/** `type:id` text (a serialized "created by") split into its actor; null when it is not one. */
export function parseActorText(text: string | null | undefined): ActorRef | null {
  if (!text) return null;
  const i = text.indexOf(":");
  if (i <= 0) return null;
  return { type: text.slice(0, i), id: text.slice(i + 1) };
}

/** Names of the actors, keyed by `actorKey`; an actor not found (deleted, another tenant's) is absent. */
export async function actorNames(
  principal: Pick<Principal, "tenantIds">,
  refs: readonly ActorRef[],
): Promise<Map<string, string>> {
  const rows = await lookupActors(principal, refs);
  return new Map(rows.map((r) => [actorKey(r.type, r.id), actorDisplay(r)]));
}

/**
 * A function that writes each `type:id` text of a page as a name, after one lookup of them all;
 * a text that names nobody the principal may see is returned as it is.
 */
export async function actorNamer(
  principal: Pick<Principal, "tenantIds">,
  texts: readonly (string | null | undefined)[],
): Promise<(text: string | null | undefined) => string> {
  const refs = texts.map(parseActorText).filter((r): r is ActorRef => r !== null);
  const names = await actorNames(principal, refs);
  return (text) => (text ? (names.get(text) ?? text) : "");
}

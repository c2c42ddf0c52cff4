"use client";
// Saved views: the current page's filters saved under a name, and a menu to open or delete the
// user's views. The server keeps only the known filter keys of the query.
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useActionState } from "react";
import { FormStatus } from "@/components/admin/form-status";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/field";
import type { FormAction } from "@/lib/http/action-result";

export type SavedViewItem = { id: string; name: string; href: string };

export type SavedViewsProps = {
  views: SavedViewItem[];
  save: FormAction;
  remove: FormAction;
};

export function SavedViews({ views, save, remove }: SavedViewsProps) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [saved, saveAction, saving] = useActionState(save, null);
  const [removed, removeAction, removing] = useActionState(remove, null);
  return (
    <div className="mt-3 border-t border-slate-200 pt-3" data-testid="saved-views">
      <div className="flex flex-wrap items-end gap-3">
        <form action={saveAction} className="flex items-end gap-2">
          <input type="hidden" name="path" value={pathname} />
          <input type="hidden" name="query" value={searchParams.toString()} />
          <div>
            <Label htmlFor="view-name">View name</Label>
            <Input id="view-name" name="name" required maxLength={80} className="w-48" />
          </div>
          <Button type="submit" variant="secondary" disabled={saving}>
            Save view
          </Button>
        </form>
        <details className="relative" data-testid="views-menu">
          <summary className="cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100">
            Views ({views.length})
          </summary>
          <div className="absolute z-10 mt-1 w-80 rounded-md bg-white p-2 shadow-lg ring-1 ring-slate-200">
            {views.length === 0 ? (
              <p className="px-2 py-1 text-sm text-slate-600">No saved views yet.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {views.map((v) => (
                  <li key={v.id} className="flex items-center justify-between gap-2 px-2 py-1.5">
                    <Link href={v.href} className="truncate text-sm text-brand-700 hover:underline">
                      {v.name}
                    </Link>
                    <form action={removeAction}>
                      <input type="hidden" name="id" value={v.id} />
                      <button
                        type="submit"
                        disabled={removing}
                        aria-label={`Delete view ${v.name}`}
                        className="rounded px-2 py-0.5 text-xs text-red-700 hover:bg-red-50"
                      >
                        Delete
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </details>
      </div>
      <div className="mt-2 empty:hidden">
        <FormStatus state={saved} />
        <FormStatus state={removed} />
      </div>
    </div>
  );
}

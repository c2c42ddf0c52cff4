"use client";
// The observations table: server-sorted (header links), server-paginated, with a column picker
// whose choice lives in the URL like every other filter.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { DataTable, type BasicColumn } from "@/components/tables/data-table";

export type ObservationView = Record<string, string | number | null>;
export type ColumnInfo = { key: string; header: string; kind: "time" | "text" | "number" };

export function ObservationsTable({
  rows,
  columns,
  visible,
  sort,
  desc,
  query,
}: {
  rows: ObservationView[];
  columns: ColumnInfo[];
  visible: string[];
  sort: string;
  desc: boolean;
  query: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    return `${pathname}?${next.toString()}`;
  };
  const defs: BasicColumn<ObservationView>[] = columns
    .filter((c) => visible.includes(c.key))
    .map((c) => ({
      accessorKey: c.key,
      header: () =>
        c.key === "source" ? (
          c.header
        ) : (
          <Link
            href={withParams({ sort: c.key, desc: sort === c.key && !desc ? "true" : null, page: null })}
            className="hover:underline"
            data-testid={`sort-${c.key}`}
          >
            {c.header}
            {sort === c.key ? (desc ? " ▼" : " ▲") : ""}
          </Link>
        ),
      cell: (cell) => {
        const v = cell.getValue<string | number | null>();
        if (v === null || v === undefined) return <span className="text-slate-400">—</span>;
        if (c.kind === "time")
          return <span className="whitespace-nowrap">{String(v).slice(0, 16).replace("T", " ")}</span>;
        if (c.kind === "number")
          return <span className="tabular-nums">{Number(v).toLocaleString("en", { maximumFractionDigits: 4 })}</span>;
        return (
          <span className="font-mono text-xs">{String(v).length > 24 ? `${String(v).slice(0, 22)}…` : String(v)}</span>
        );
      },
    }));
  return (
    <>
      <details className="mb-3 text-sm" data-testid="column-picker">
        <summary className="cursor-pointer text-slate-700">
          Columns ({visible.length} of {columns.length})
        </summary>
        <fieldset key={visible.join(",")} className="mt-2 grid gap-1 sm:grid-cols-3 lg:grid-cols-5">
          <legend className="sr-only">Visible columns</legend>
          {columns.map((c) => (
            <label key={c.key} className="inline-flex items-center gap-1.5 text-xs">
              <input
                type="checkbox"
                defaultChecked={visible.includes(c.key)}
                onChange={(e) => {
                  const next = e.target.checked
                    ? columns.map((x) => x.key).filter((k) => k === c.key || visible.includes(k))
                    : visible.filter((k) => k !== c.key);
                  router.push(withParams({ cols: next.join(",") || null }));
                }}
              />
              {c.header}
            </label>
          ))}
        </fieldset>
      </details>
      <DataTable columns={defs} data={rows} empty="No observations match these filters." testId="observations-table" />
    </>
  );
}

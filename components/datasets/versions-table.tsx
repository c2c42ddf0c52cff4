"use client";

import Link from "next/link";
import { DataTable, type BasicColumn } from "@/components/tables/data-table";
import { Badge } from "@/components/ui/badge";

export type VersionRowView = {
  datasetId: string;
  version: number;
  createdAt: string;
  filename: string | null;
  rows: number;
  rejected: number;
  duplicates: number;
  range: string;
  interval: number | null;
  series: number;
  passes: boolean;
  sha256: string;
};

const columns: BasicColumn<VersionRowView>[] = [
  {
    accessorKey: "version",
    header: "Version",
    cell: (c) => (
      <Link
        href={`/datasets/${c.row.original.datasetId}/versions/${c.getValue<number>()}`}
        className="font-medium text-brand-700 hover:underline"
        data-testid="version-link"
      >
        v{c.getValue<number>()}
      </Link>
    ),
  },
  {
    accessorKey: "createdAt",
    header: "Uploaded (UTC)",
    cell: (c) => <span className="whitespace-nowrap">{c.getValue<string>()}</span>,
  },
  { accessorKey: "filename", header: "File", cell: (c) => c.getValue<string | null>() ?? "—" },
  { accessorKey: "rows", header: "Rows", cell: (c) => c.getValue<number>().toLocaleString("en") },
  {
    accessorKey: "rejected",
    header: "Rejected",
    cell: (c) => (c.getValue<number>() ? <Badge tone="amber">{c.getValue<number>()}</Badge> : "—"),
  },
  {
    accessorKey: "duplicates",
    header: "Duplicates",
    cell: (c) => (c.getValue<number>() ? <Badge tone="amber">{c.getValue<number>()}</Badge> : "—"),
  },
  {
    accessorKey: "range",
    header: "Time range (UTC)",
    cell: (c) => <span className="whitespace-nowrap">{c.getValue<string>()}</span>,
  },
  {
    accessorKey: "interval",
    header: "Interval",
    cell: (c) => (c.getValue<number | null>() ? `${c.getValue<number>() / 60} min` : "—"),
  },
  { accessorKey: "series", header: "Series" },
  {
    accessorKey: "passes",
    header: "Quality",
    cell: (c) =>
      c.getValue<boolean>() ? (
        <Badge tone="green">within thresholds</Badge>
      ) : (
        <Badge tone="red">outside thresholds</Badge>
      ),
  },
  {
    accessorKey: "sha256",
    header: "SHA-256",
    cell: (c) => (
      <span className="font-mono text-[11px] text-slate-500" title={c.getValue<string>()}>
        {c.getValue<string>().slice(0, 12)}…
      </span>
    ),
  },
];

export function VersionsTable({ rows, testId }: { rows: VersionRowView[]; testId?: string }) {
  return <DataTable columns={columns} data={rows} empty="No versions yet." testId={testId} />;
}

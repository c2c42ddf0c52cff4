"use client";

import Link from "next/link";
import { DataTable, type BasicColumn } from "@/components/tables/data-table";
import { Badge } from "@/components/ui/badge";

export type RequestRowView = {
  id: string;
  receivedAt: string;
  kind: string;
  tenantId: string;
  siteId: string | null;
  clusterId: string | null;
  zoneId: string | null;
  requestId: string;
  status: string;
  warnings: number;
  hash: string;
};

const STATUS_TONE = { pending: "neutral", processing: "blue", done: "green", failed: "red" } as const;

const columns: BasicColumn<RequestRowView>[] = [
  {
    accessorKey: "receivedAt",
    header: "Received (UTC)",
    cell: (c) => <span className="whitespace-nowrap">{c.getValue<string>()}</span>,
  },
  {
    accessorKey: "requestId",
    header: "Request",
    cell: (c) => (
      <Link
        href={`/requests/${c.row.original.id}`}
        className="font-mono text-xs text-brand-700 hover:underline"
        data-testid="request-link"
      >
        {c.getValue<string>()}
      </Link>
    ),
  },
  { accessorKey: "kind", header: "Form" },
  { accessorKey: "tenantId", header: "Tenant" },
  { accessorKey: "siteId", header: "Site" },
  { accessorKey: "clusterId", header: "Cluster" },
  { accessorKey: "zoneId", header: "Zone" },
  {
    accessorKey: "status",
    header: "Status",
    cell: (c) => (
      <Badge tone={STATUS_TONE[c.getValue<string>() as keyof typeof STATUS_TONE] ?? "neutral"}>
        {c.getValue<string>()}
      </Badge>
    ),
  },
  {
    accessorKey: "warnings",
    header: "Warnings",
    cell: (c) => (c.getValue<number>() ? <Badge tone="amber">{c.getValue<number>()}</Badge> : "—"),
  },
  {
    accessorKey: "hash",
    header: "Payload hash",
    cell: (c) => (
      <span className="font-mono text-[11px] text-slate-500" title={c.getValue<string>()}>
        {c.getValue<string>().slice(0, 12)}…
      </span>
    ),
  },
];

export function RequestsTable({ rows }: { rows: RequestRowView[] }) {
  return (
    <DataTable columns={columns} data={rows} empty="No MASS requests match these filters." testId="requests-table" />
  );
}

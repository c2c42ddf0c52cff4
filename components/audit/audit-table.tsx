"use client";

import { DataTable, type BasicColumn } from "@/components/tables/data-table";
import { Badge } from "@/components/ui/badge";

export type AuditRowView = {
  seq: string;
  occurredAt: string;
  actor: string;
  /** `type:id` of the actor (kept as recorded: the trail is never rewritten), shown on hover. */
  actorId: string | null;
  action: string;
  target: string;
  result: string;
  tenantId: string | null;
  ip: string | null;
  traceId: string | null;
  details: string;
  hash: string | null;
};

const TONE = { ok: "green", denied: "amber", error: "red" } as const;

const columns: BasicColumn<AuditRowView>[] = [
  {
    accessorKey: "seq",
    header: "#",
    cell: (c) => <span className="font-mono text-xs text-slate-500">{c.getValue<string>()}</span>,
  },
  {
    accessorKey: "occurredAt",
    header: "Time (UTC)",
    cell: (c) => <span className="whitespace-nowrap">{c.getValue<string>()}</span>,
  },
  {
    accessorKey: "actor",
    header: "Actor",
    cell: (c) => <span title={c.row.original.actorId ?? undefined}>{c.getValue<string>()}</span>,
  },
  {
    accessorKey: "action",
    header: "Action",
    cell: (c) => <span className="font-mono text-xs">{c.getValue<string>()}</span>,
  },
  { accessorKey: "target", header: "Target", cell: (c) => <span className="text-xs">{c.getValue<string>()}</span> },
  {
    accessorKey: "result",
    header: "Result",
    cell: (c) => {
      const v = c.getValue<string>();
      return <Badge tone={TONE[v as keyof typeof TONE] ?? "neutral"}>{v}</Badge>;
    },
  },
  {
    accessorKey: "ip",
    header: "IP",
    cell: (c) => <span className="text-xs">{c.getValue<string | null>() ?? ""}</span>,
  },
  {
    accessorKey: "details",
    header: "Details",
    cell: (c) => (
      <span className="block max-w-xs truncate font-mono text-[11px] text-slate-600" title={c.getValue<string>()}>
        {c.getValue<string>()}
      </span>
    ),
  },
  {
    accessorKey: "hash",
    header: "Hash",
    cell: (c) => {
      const hash = c.getValue<string | null>();
      return hash ? (
        <span className="font-mono text-[11px] text-slate-500" title={hash}>
          {hash.slice(0, 10)}…
        </span>
      ) : (
        <span
          className="text-[11px] text-slate-400"
          title="Not yet linked into the hash chain (the sealer runs every second)"
        >
          sealing…
        </span>
      );
    },
  },
];

export function AuditTable({ rows }: { rows: AuditRowView[] }) {
  return <DataTable columns={columns} data={rows} empty="No audit events match these filters." testId="audit-table" />;
}

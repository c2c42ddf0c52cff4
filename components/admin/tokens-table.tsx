"use client";
// The API tokens of the admin page: a list of rows with a revoke button each, so a DataTable over
// rows the server page has already formatted (lib/format.ts) and given a status.
import { useMemo } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { RevokeTokenButton } from "@/components/admin/revoke-token-button";
import { DataTable, type BasicColumn } from "@/components/tables/data-table";
import { Badge, RoleBadge } from "@/components/ui/badge";

export type TokenRowView = {
  id: string;
  name: string;
  prefix: string;
  role: string;
  tenants: string;
  expires: string;
  lastUsed: string;
  status: "active" | "expired" | "revoked";
};

const STATUS_TONE = { active: "green", expired: "amber", revoked: "red" } as const;

function tokenColumns(revoke: FormAction): BasicColumn<TokenRowView>[] {
  return [
    { accessorKey: "name", header: "Name" },
    {
      accessorKey: "prefix",
      header: "Prefix",
      cell: (c) => <span className="font-mono text-xs">{c.getValue<string>()}…</span>,
    },
    { accessorKey: "role", header: "Role", cell: (c) => <RoleBadge role={c.getValue<string>()} /> },
    { accessorKey: "tenants", header: "Tenants" },
    {
      accessorKey: "expires",
      header: "Expires",
      cell: (c) => <span className="whitespace-nowrap">{c.getValue<string>()}</span>,
    },
    {
      accessorKey: "lastUsed",
      header: "Last used",
      cell: (c) => <span className="whitespace-nowrap">{c.getValue<string>()}</span>,
    },
    {
      accessorKey: "status",
      header: "Status",
      cell: (c) => {
        const status = c.getValue<TokenRowView["status"]>();
        return <Badge tone={STATUS_TONE[status]}>{status}</Badge>;
      },
    },
    {
      id: "revoke",
      // The header a screen reader announces for the column of buttons; nothing to see.
      header: () => <span className="sr-only">Revoke</span>,
      cell: (c) =>
        c.row.original.status === "revoked" ? null : <RevokeTokenButton id={c.row.original.id} serverAction={revoke} />,
    },
  ];
}

/** `revoke`: the page's revokeTokenAction, run by each row's button. */
export function TokensTable({ rows, revoke }: { rows: TokenRowView[]; revoke: FormAction }) {
  const columns = useMemo(() => tokenColumns(revoke), [revoke]);
  return (
    <DataTable
      columns={columns}
      data={rows}
      rowId={(t) => t.id}
      empty="No tokens."
      testId="tokens-table"
      label="API tokens"
    />
  );
}

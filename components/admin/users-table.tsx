"use client";
// The users of the admin page: a list of rows, each with its own forms (role, disable, password),
// so a DataTable over rows the server page has already turned into strings.
import { useMemo } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { UserRowActions } from "@/components/admin/user-row-actions";
import { DataTable, type BasicColumn } from "@/components/tables/data-table";
import { Badge, RoleBadge } from "@/components/ui/badge";

export type UserRowView = {
  id: string;
  email: string;
  role: string;
  tenants: string;
  lastSignIn: string;
  disabled: boolean;
};

function userColumns(update: FormAction): BasicColumn<UserRowView>[] {
  return [
    {
      accessorKey: "email",
      header: "Email",
      cell: (c) => (
        <>
          {c.getValue<string>()} {c.row.original.disabled ? <Badge tone="amber">disabled</Badge> : null}
        </>
      ),
    },
    { accessorKey: "role", header: "Role", cell: (c) => <RoleBadge role={c.getValue<string>()} /> },
    { accessorKey: "tenants", header: "Tenants" },
    {
      accessorKey: "lastSignIn",
      header: "Last sign-in",
      cell: (c) => <span className="whitespace-nowrap">{c.getValue<string>()}</span>,
    },
    {
      id: "actions",
      header: "Actions",
      cell: (c) => (
        <UserRowActions
          id={c.row.original.id}
          role={c.row.original.role}
          disabled={c.row.original.disabled}
          serverAction={update}
        />
      ),
    },
  ];
}

/** `update`: the page's updateUserAction, run by each row's form. */
export function UsersTable({ rows, update }: { rows: UserRowView[]; update: FormAction }) {
  const columns = useMemo(() => userColumns(update), [update]);
  return (
    <DataTable columns={columns} data={rows} rowId={(u) => u.id} empty="No users." testId="users-table" label="Users" />
  );
}

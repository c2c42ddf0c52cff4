import type { Metadata } from "next";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { UsersTable } from "@/components/admin/users-table";
import { Card, PageHeader } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/require-user";
import { listUsers } from "@/lib/users/repo";
import { createUserAction, updateUserAction } from "./actions";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  await requireRole("user.manage");
  const users = await listUsers();
  return (
    <>
      <PageHeader
        title="Users"
        description="Who may sign in, with which role and over which tenants. Changing a user's role, scope or password ends their open sessions."
      />
      <Card title="New user" className="mb-6">
        <CreateUserForm serverAction={createUserAction} />
      </Card>
      <Card title={`${users.length} users`}>
        <UsersTable
          update={updateUserAction}
          rows={users.map((u) => ({
            id: u.id,
            email: u.email,
            role: u.role,
            tenants: u.tenantIds.length ? u.tenantIds.join(", ") : "all",
            lastSignIn: u.lastLoginAt ? u.lastLoginAt.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "never",
            disabled: Boolean(u.disabledAt),
          }))}
        />
      </Card>
    </>
  );
}

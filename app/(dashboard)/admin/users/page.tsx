import type { Metadata } from "next";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { UserRowActions } from "@/components/admin/user-row-actions";
import { Badge, RoleBadge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/require-user";
import { listUsers } from "@/lib/users/repo";

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
        <CreateUserForm />
      </Card>
      <Card title={`${users.length} users`}>
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm" data-testid="users-table">
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="py-2 pr-4 font-medium">Email</th>
                <th className="py-2 pr-4 font-medium">Role</th>
                <th className="py-2 pr-4 font-medium">Tenants</th>
                <th className="py-2 pr-4 font-medium">Last sign-in</th>
                <th className="py-2 font-medium">Actions</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((u) => (
                <tr key={u.id} className="align-top">
                  <td className="py-2 pr-4">
                    {u.email} {u.disabledAt ? <Badge tone="amber">disabled</Badge> : null}
                  </td>
                  <td className="py-2 pr-4">
                    <RoleBadge role={u.role} />
                  </td>
                  <td className="py-2 pr-4">{u.tenantIds.length ? u.tenantIds.join(", ") : "all"}</td>
                  <td className="py-2 pr-4 whitespace-nowrap">
                    {u.lastLoginAt ? u.lastLoginAt.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "never"}
                  </td>
                  <td className="py-2">
                    <UserRowActions id={u.id} role={u.role} disabled={Boolean(u.disabledAt)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}

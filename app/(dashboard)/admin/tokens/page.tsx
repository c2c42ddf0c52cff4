import type { Metadata } from "next";
import { CreateTokenForm } from "@/components/admin/create-token-form";
import { RevokeTokenButton } from "@/components/admin/revoke-token-button";
import { Badge, RoleBadge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { listApiTokens } from "@/lib/api-tokens/repo";
import { requireRole } from "@/lib/auth/require-user";
import { env } from "@/lib/env";
import { formatUtc } from "@/lib/format";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  await requireRole("token.manage");
  const tokens = await listApiTokens();
  const now = new Date();
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Bearer tokens for collectors; every token expires. The secret is shown once and stored only as a SHA-256 hash; revocation takes effect on the token's next request."
      />
      <Card title="New token" className="mb-6">
        <CreateTokenForm
          defaultDays={Math.min(env().API_TOKEN_DEFAULT_DAYS, env().API_TOKEN_MAX_DAYS)}
          maxDays={env().API_TOKEN_MAX_DAYS}
        />
      </Card>
      <Card title={`${tokens.length} tokens`}>
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm" data-testid="tokens-table">
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="py-2 pr-4 font-medium">Name</th>
                <th className="py-2 pr-4 font-medium">Prefix</th>
                <th className="py-2 pr-4 font-medium">Role</th>
                <th className="py-2 pr-4 font-medium">Tenants</th>
                <th className="py-2 pr-4 font-medium">Expires</th>
                <th className="py-2 pr-4 font-medium">Last used</th>
                <th className="py-2 pr-4 font-medium">Status</th>
                <th className="py-2 font-medium" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.map((t) => {
                const expired = t.expiresAt <= now;
                return (
                  <tr key={t.id}>
                    <td className="py-2 pr-4">{t.name}</td>
                    <td className="py-2 pr-4 font-mono text-xs">{t.prefix}…</td>
                    <td className="py-2 pr-4">
                      <RoleBadge role={t.role} />
                    </td>
                    <td className="py-2 pr-4">{t.tenantIds.length ? t.tenantIds.join(", ") : "all"}</td>
                    <td className="py-2 pr-4 whitespace-nowrap">{formatUtc(t.expiresAt)}</td>
                    <td className="py-2 pr-4 whitespace-nowrap">{formatUtc(t.lastUsedAt)}</td>
                    <td className="py-2 pr-4">
                      {t.revokedAt ? (
                        <Badge tone="red">revoked</Badge>
                      ) : expired ? (
                        <Badge tone="amber">expired</Badge>
                      ) : (
                        <Badge tone="green">active</Badge>
                      )}
                    </td>
                    <td className="py-2">{t.revokedAt ? null : <RevokeTokenButton id={t.id} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}

import type { Metadata } from "next";
import { CreateTokenForm } from "@/components/admin/create-token-form";
import { TokensTable } from "@/components/admin/tokens-table";
import { Card, PageHeader } from "@/components/ui/card";
import { listApiTokens } from "@/lib/api-tokens/repo";
import { requireRole } from "@/lib/auth/require-user";
import { env } from "@/lib/env";
import { formatUtc } from "@/lib/format";
import { createTokenAction, revokeTokenAction } from "./actions";

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
          serverAction={createTokenAction}
        />
      </Card>
      <Card title={`${tokens.length} tokens`}>
        <TokensTable
          revoke={revokeTokenAction}
          rows={tokens.map((t) => ({
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            role: t.role,
            tenants: t.tenantIds.length ? t.tenantIds.join(", ") : "all",
            expires: formatUtc(t.expiresAt),
            lastUsed: formatUtc(t.lastUsedAt),
            status: t.revokedAt ? "revoked" : t.expiresAt <= now ? "expired" : "active",
          }))}
        />
      </Card>
    </>
  );
}

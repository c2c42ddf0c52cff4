import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApiExplorer } from "@/components/docs/api-explorer";
import { requireUser } from "@/lib/auth/require-user";

export const metadata: Metadata = { title: "API · Pilot-in-a-Box" };

export default async function ApiDocsPage() {
  await requireUser();
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">API</h1>
        <p className="text-sm text-slate-600">
          Generated from the same schemas the API validates with (
          <a className="text-brand-700 underline" href="/api/v1/openapi.json">
            openapi.json
          </a>
          ). Calls made here run as you, with your session; use <strong>Authorize</strong> to try an access JWT or an
          API token instead. The pilot is read-only: nothing here sends a control action anywhere.
        </p>
      </div>
      <ApiExplorer nonce={nonce} />
    </div>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { currentPrincipal } from "@/lib/auth/require-user";
import { safeCallbackPath } from "@/lib/auth/safe-callback";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = typeof params.callbackUrl === "string" ? params.callbackUrl : undefined;
  if (await currentPrincipal()) redirect(safeCallbackPath(callbackUrl));
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <div className="mx-auto mb-3 flex h-10 w-10 items-center justify-center rounded-lg bg-brand-700 text-lg font-bold text-white">
            P
          </div>
          <h1 className="text-lg font-semibold">Pilot-in-a-Box</h1>
          <p className="text-sm text-slate-600">Shadow-mode energy optimization pilot</p>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <LoginForm callbackUrl={callbackUrl} expired={params.expired === "1"} />
        </div>
        <p className="mt-4 text-center text-xs text-slate-500">Read-only pilot: it never sends a control action.</p>
      </div>
    </main>
  );
}

import type { Metadata } from "next";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { requireUser } from "@/lib/auth/require-user";

export const metadata: Metadata = { title: "Sign out" };

export default async function LogoutPage() {
  const principal = await requireUser();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg bg-white p-6 text-center shadow-sm ring-1 ring-slate-200">
        <h1 className="mb-2 text-lg font-semibold">Sign out</h1>
        <p className="mb-4 text-sm text-slate-600">
          Signed in as <strong>{principal.label}</strong>.
        </p>
        <SignOutButton variant="primary" label="Sign out now" />
      </div>
    </main>
  );
}

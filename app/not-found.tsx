import Link from "next/link";
import { connection } from "next/server";

// Rendered per request, not prerendered: a page built ahead of time carries no CSP nonce, and the
// browser would refuse every script on it (the navigation back would not work).
export default async function NotFound() {
  await connection();
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-2 text-center">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="text-xl font-semibold">Page not found</h1>
      <Link href="/" className="mt-2 text-sm font-medium text-brand-700 hover:underline">
        Back to the overview
      </Link>
    </main>
  );
}

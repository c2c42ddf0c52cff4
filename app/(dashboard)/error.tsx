"use client";

import { Card } from "@/components/ui/card";

// A failure inside a dashboard page, shown inside the shell so the navigation stays. Like
// app/error.tsx it shows only the digest (the reference in the server's log), never the message:
// a server error's message may hold details meant for the log alone. `retry` (Next.js 16) refetches
// the page from the server; `reset` alone would only re-render what the browser already has.
export default function DashboardError({
  error,
  reset,
  retry,
}: {
  error: Error & { digest?: string };
  reset: () => void;
  retry?: () => void;
}) {
  return (
    <Card>
      <div className="flex flex-col items-center gap-2 py-8 text-center" role="alert" data-testid="page-error">
        <h1 className="text-xl font-semibold">Something went wrong</h1>
        <p className="text-sm text-slate-600">
          The error was logged{error.digest ? ` (reference ${error.digest})` : ""}.
        </p>
        <button
          type="button"
          onClick={retry ?? reset}
          className="mt-2 text-sm font-medium text-brand-700 hover:underline"
        >
          Try again
        </button>
      </div>
    </Card>
  );
}

import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-2 text-center">
      <p className="text-sm font-semibold text-red-700">403</p>
      <h1 className="text-xl font-semibold" data-testid="forbidden">
        You do not have access to this page
      </h1>
      <p className="text-sm text-slate-600">Your role does not allow it. Ask an admin if you need access.</p>
      <Link href="/" className="mt-2 text-sm font-medium text-brand-700 hover:underline">
        Back to the overview
      </Link>
    </main>
  );
}

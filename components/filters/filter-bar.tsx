import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";
import type { ZodError } from "zod";

/** The Filter/Reset buttons closing a GET filter form (filters live in the URL). */
export function FilterActions({ resetHref }: { resetHref: string }) {
  return (
    <div className="flex gap-2">
      <button type="submit" className={buttonClass("primary")}>
        Filter
      </button>
      <Link href={resetHref} className={buttonClass("ghost")}>
        Reset
      </Link>
    </div>
  );
}

/** Says which URL filters were invalid and ignored, instead of failing the page. */
export function InvalidFilters({ error }: { error: ZodError | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
      Some filters were invalid and ignored: {error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}
    </p>
  );
}

/** Cursor pagination: back to the first page, and on to the next. */
export function CursorPager({
  firstHref,
  nextHref,
  firstLabel,
  nextLabel,
}: {
  firstHref: string | null;
  nextHref: string | null;
  firstLabel: ReactNode;
  nextLabel: ReactNode;
}) {
  return (
    <nav className="mt-3 flex items-center justify-between text-sm" aria-label="Pagination">
      {firstHref ? (
        <Link href={firstHref} className="text-brand-700 hover:underline">
          {firstLabel}
        </Link>
      ) : (
        <span />
      )}
      {nextHref ? (
        <Link href={nextHref} className="text-brand-700 hover:underline" data-testid="next-page">
          {nextLabel}
        </Link>
      ) : null}
    </nav>
  );
}

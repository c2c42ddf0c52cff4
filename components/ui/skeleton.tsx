// Placeholders shown while a page's reads run (the segments' loading.tsx). They keep the page's
// layout, so nothing jumps when the content streams in, and carry no test ids of the real page.
import type { ReactNode } from "react";
import { Card, PageHeader } from "./card";
import { cn } from "./cn";

/** One grey bar or box; hidden from assistive technology (the status line speaks for the page). */
// A span, so it may also stand where only phrasing content is allowed (a header's description).
export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden="true" className={cn("block animate-pulse rounded bg-slate-200/70", className)} />;
}

/** A few lines of placeholder text. */
export function SkeletonLines({ lines = 3 }: { lines?: number }) {
  return (
    <div className="space-y-2">
      {Array.from({ length: lines }, (_, i) => (
        <Skeleton key={i} className={cn("h-3", i === lines - 1 ? "w-2/3" : "w-full")} />
      ))}
    </div>
  );
}

/** A table's header and rows as bars, in the table kit's padding. */
export function SkeletonTable({ rows = 6, columns = 5 }: { rows?: number; columns?: number }) {
  return (
    <div className="divide-y divide-slate-100">
      {Array.from({ length: rows + 1 }, (_, r) => (
        <div key={r} className="flex gap-4 px-2 py-2">
          {Array.from({ length: columns }, (_, c) => (
            <Skeleton key={c} className={cn("h-3 flex-1", r === 0 ? "bg-slate-300/60" : null)} />
          ))}
        </div>
      ))}
    </div>
  );
}

/** A card whose content is still loading: the real card's title when known, bars otherwise. */
export function SkeletonCard({
  title,
  children,
  className,
}: {
  title?: string;
  children?: ReactNode;
  className?: string;
}) {
  return (
    <Card title={title} className={className}>
      {children ?? <SkeletonLines />}
    </Card>
  );
}

/**
 * A page while it loads: its heading when the segment knows it (a generic fallback does not, and
 * shows a bar instead of a heading that would name the wrong page), then the given placeholders.
 * aria-busy tells assistive technology the region is being filled; the status line says so once.
 */
export function PageSkeleton({ title, children }: { title?: string; children?: ReactNode }) {
  return (
    <div aria-busy="true" data-testid="page-skeleton">
      <p role="status" className="sr-only">
        Loading…
      </p>
      {title ? (
        <PageHeader title={title} description={<Skeleton className="mt-1 h-3 w-96 max-w-full" />} />
      ) : (
        <div className="mb-6">
          <Skeleton className="h-6 w-48" />
          <Skeleton className="mt-2 h-3 w-96 max-w-full" />
        </div>
      )}
      {children ?? (
        <SkeletonCard>
          <SkeletonTable />
        </SkeletonCard>
      )}
    </div>
  );
}

/** A row of KPI-sized boxes. */
export function SkeletonStats({ count = 4 }: { count?: number }) {
  return (
    <div className="mb-4 grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <Skeleton className="h-3 w-1/2" />
          <Skeleton className="mt-2 h-6 w-2/3" />
        </div>
      ))}
    </div>
  );
}

/** A chart-sized box. */
export function SkeletonChart({ className }: { className?: string }) {
  return <Skeleton className={cn("h-48 w-full", className)} />;
}

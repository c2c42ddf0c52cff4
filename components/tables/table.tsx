// The table kit: one look for every table (one padding, one header style, numbers right-aligned
// in tabular figures). Plain elements and no hooks, so server pages use them directly; DataTable
// (a client component over TanStack Table) renders through these same pieces.
import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes, HTMLAttributes } from "react";
import { cn } from "@/components/ui/cn";

/**
 * The scrollable region around a table. Focusable, so a keyboard user can scroll a table wider
 * (or, with `tall`, longer) than its space; named by `label`, as a focusable region must be.
 */
export function Table({
  label,
  testId,
  tall = false,
  className,
  children,
}: {
  label: string;
  testId?: string;
  /** Caps the height (20 rem) and scrolls the rows too: for long lists beside shorter cards. */
  tall?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={cn(tall ? "max-h-80 overflow-auto" : "overflow-x-auto", className)}
      tabIndex={0}
      role="region"
      aria-label={label}
    >
      <table className="min-w-full text-sm" data-testid={testId}>
        {children}
      </table>
    </div>
  );
}

/** The header: one row of `Th`. */
export function THead({ children }: { children: ReactNode }) {
  return (
    <thead className="border-b border-slate-200 text-left text-xs text-slate-500">
      <tr>{children}</tr>
    </thead>
  );
}

type ThProps = ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean };

/**
 * A column header; `numeric` aligns it with its right-aligned cells. A label stays on one line,
 * except over figures: there it may wrap rather than widen a narrow column of numbers (a table in
 * half a page's width would otherwise scroll for its headers' sake).
 */
export function Th({ numeric = false, className, children, ...props }: ThProps) {
  return (
    <th
      scope="col"
      className={cn("px-2 py-2 font-medium", numeric ? "text-right" : "whitespace-nowrap", className)}
      {...props}
    >
      {children}
    </th>
  );
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100">{children}</tbody>;
}

export function Tr({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("align-top hover:bg-slate-50", className)} {...props} />;
}

type TdProps = TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean };

/** A cell; `numeric` right-aligns it in tabular figures, so digits line up down the column. */
export function Td({ numeric = false, className, ...props }: TdProps) {
  return <td className={cn("px-2 py-1.5", numeric ? "text-right tabular-nums" : null, className)} {...props} />;
}

/** The one row of a table with nothing to show, across all its columns. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="px-2 py-6 text-center text-slate-500">
        {children}
      </td>
    </tr>
  );
}

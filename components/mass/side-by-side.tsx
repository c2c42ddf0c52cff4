import { cn } from "@/components/ui/cn";
import type { FlatLine } from "@/lib/mass/flatten";

/** Two documents as pointer/value lines; lines that differ between them are highlighted. */
export function SideBySide({ left, right, changed }: { left: FlatLine[]; right: FlatLine[]; changed: Set<string> }) {
  const column = (title: string, lines: FlatLine[], testId: string) => (
    <div className="min-w-0">
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      <ol
        className="max-h-[32rem] overflow-auto rounded-md bg-slate-50 p-2 font-mono text-[11px] leading-5 ring-1 ring-slate-200"
        data-testid={testId}
      >
        {lines.map((l) => (
          <li
            key={l.pointer}
            className={cn("flex gap-2 rounded px-1", changed.has(l.pointer) && "bg-amber-100")}
            data-changed={changed.has(l.pointer) || undefined}
          >
            <span className="shrink-0 text-slate-500">{l.pointer}</span>
            <span className="break-all text-slate-900">{l.value}</span>
          </li>
        ))}
      </ol>
    </div>
  );
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {column("As sent (raw)", left, "raw-doc")}
      {column("Normalized", right, "normalized-doc")}
    </div>
  );
}

"use client";
// Drag across a chart to zoom: the selected range becomes the URL's custom period.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useRef, useState, type ReactNode, type PointerEvent } from "react";
import { CHART } from "./line-chart";

export function ZoomArea({ from, to, children }: { from: string; to: string; children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const box = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);

  const fraction = (event: PointerEvent) => {
    const rect = box.current!.getBoundingClientRect();
    const scale = rect.width / CHART.width;
    const plotLeft = CHART.left * scale;
    const plotWidth = (CHART.width - CHART.left - CHART.right) * scale;
    return Math.min(1, Math.max(0, (event.clientX - rect.left - plotLeft) / plotWidth));
  };

  const finish = () => {
    if (!drag) return;
    const [a, b] = [Math.min(drag.a, drag.b), Math.max(drag.a, drag.b)];
    setDrag(null);
    if (b - a < 0.01) return;
    const t0 = Date.parse(from);
    const span = Date.parse(to) - t0;
    const next = new URLSearchParams(params.toString());
    next.set("period", "custom");
    next.set("from", new Date(t0 + a * span).toISOString().slice(0, 16));
    next.set("to", new Date(t0 + b * span).toISOString().slice(0, 16));
    router.push(`${pathname}?${next.toString()}`);
  };

  return (
    <div
      ref={box}
      className="relative cursor-crosshair select-none"
      onPointerDown={(e) => setDrag({ a: fraction(e), b: fraction(e) })}
      onPointerMove={(e) => drag && setDrag({ ...drag, b: fraction(e) })}
      onPointerUp={finish}
      onPointerLeave={() => setDrag(null)}
      title="Drag across the chart to zoom into that range"
    >
      {children}
      {drag ? (
        <div
          className="pointer-events-none absolute top-0 bottom-0 bg-sky-500/15 ring-1 ring-sky-500/40"
          data-testid="zoom-selection"
          style={{
            left: `${((CHART.left + Math.min(drag.a, drag.b) * (CHART.width - CHART.left - CHART.right)) / CHART.width) * 100}%`,
            width: `${((Math.abs(drag.b - drag.a) * (CHART.width - CHART.left - CHART.right)) / CHART.width) * 100}%`,
          }}
        />
      ) : null}
    </div>
  );
}

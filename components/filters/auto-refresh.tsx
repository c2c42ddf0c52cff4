"use client";
// Auto-refresh for live data: re-renders the page (router.refresh: the server reads the data
// again, the relative range is resolved anew) every 30 s, 1 min or 5 min, while the tab is
// visible. Only a relative range moves with time, so the control needs one. The choice is in the
// URL (`refresh=60`).
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { Label, Select } from "@/components/ui/field";
import { REFRESH_OPTIONS } from "./refresh-options";

export function AutoRefresh({
  relative,
  refresh,
  renderedAt,
}: {
  /** Whether the page shows a relative range (auto-refresh has an effect). */
  relative: boolean;
  /** The interval in the URL, validated (seconds), or null. */
  refresh: number | null;
  /** When the server rendered the page (ISO 8601). */
  renderedAt: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const seconds = relative ? refresh : null;

  useEffect(() => {
    if (!seconds) return;
    let timer: ReturnType<typeof setInterval> | undefined;
    let last = Date.now();
    const tick = () => {
      last = Date.now();
      router.refresh();
    };
    const start = () => {
      if (timer !== undefined) return;
      // Back on a tab that missed its refresh: refresh now, then every interval.
      if (Date.now() - last >= seconds * 1000) tick();
      timer = setInterval(tick, seconds * 1000);
    };
    const stop = () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    };
    const onVisibility = () => (document.hidden ? stop() : start());
    if (!document.hidden) start();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stop();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [seconds, router]);

  const choose = (value: string) => {
    const next = new URLSearchParams(searchParams.toString());
    if (value) next.set("refresh", value);
    else next.delete("refresh");
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };

  return (
    <div className="lg:col-span-3">
      <Label htmlFor="refresh">Auto-refresh</Label>
      <Select
        id="refresh"
        name="refresh"
        value={relative && refresh ? String(refresh) : ""}
        disabled={!relative}
        aria-describedby="refresh-status"
        onChange={(e) => choose(e.target.value)}
      >
        <option value="">off</option>
        {REFRESH_OPTIONS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </Select>
      <p id="refresh-status" className="mt-1 text-xs text-slate-600">
        {relative ? null : "Needs a period relative to now. "}
        <span data-testid="updated-at">updated {renderedAt.slice(11, 19)} UTC</span>
      </p>
    </div>
  );
}

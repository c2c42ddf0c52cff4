"use client";
// Below the md breakpoint the sidebar is hidden: this button opens the same links over the page.
// The menu is open for the page it was opened on, so following a link closes it.
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";

export function MobileMenu({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <div className="md:hidden">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="mobile-menu"
        onClick={() => setOpenOn(open ? null : pathname)}
        className="rounded-md border border-slate-300 px-2.5 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100"
      >
        <span aria-hidden="true">☰ </span>Menu
      </button>
      {open ? (
        <div
          id="mobile-menu"
          className="absolute inset-x-0 top-full z-20 border-b border-slate-200 bg-white py-2 shadow-lg"
          onKeyDown={(e) => e.key === "Escape" && setOpenOn(null)}
        >
          {children}
        </div>
      ) : null}
    </div>
  );
}

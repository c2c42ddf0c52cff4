"use client";
// Light / dark / system: written to the theme cookie (read by the root layout on the next request)
// and applied to <html> at once.
import { useState } from "react";
import { THEME_COOKIE, THEMES, themeClass, type Theme } from "./theme";

const LABELS: Record<Theme, string> = { light: "Light", dark: "Dark", system: "System" };

/** Stores the choice for a year and applies it to the page now. */
function applyTheme(theme: Theme): void {
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${THEME_COOKIE}=${theme}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
  const root = document.documentElement;
  root.classList.remove("light", "dark");
  const cls = themeClass(theme);
  if (cls) root.classList.add(cls);
}

export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  const choose = (next: Theme) => {
    setTheme(next);
    applyTheme(next);
  };
  return (
    <div role="group" aria-label="Theme" className="flex rounded-md ring-1 ring-slate-300" data-testid="theme-toggle">
      {THEMES.map((t) => (
        <button
          key={t}
          type="button"
          aria-pressed={theme === t}
          onClick={() => choose(t)}
          className={
            theme === t
              ? "bg-slate-800 px-2 py-0.5 text-xs font-medium text-white first:rounded-l-md last:rounded-r-md"
              : "px-2 py-0.5 text-xs font-medium text-slate-700 first:rounded-l-md last:rounded-r-md hover:bg-slate-100"
          }
        >
          {LABELS[t]}
        </button>
      ))}
    </div>
  );
}

import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { RoleBadge } from "@/components/ui/badge";
import type { Principal } from "@/lib/access/principal";
import { APP_VERSION, GIT_COMMIT } from "@/lib/version";
import { MainNav } from "./main-nav";
import { MobileMenu } from "./mobile-menu";
import type { Theme } from "./theme";
import { ThemeToggle } from "./theme-toggle";

export function AppShell({ principal, theme, children }: { principal: Principal; theme: Theme; children: ReactNode }) {
  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-56 shrink-0 flex-col border-r border-slate-200 bg-white md:flex">
        <div className="flex items-center gap-2 px-4 py-4">
          <div className="flex h-8 w-8 items-center justify-center rounded-md bg-brand-700 font-bold text-white">P</div>
          <div>
            <div className="text-sm font-semibold">Pilot-in-a-Box</div>
            <div className="text-[11px] text-slate-500">shadow mode · read-only</div>
          </div>
        </div>
        <MainNav principal={principal} label="Main" />
        <footer className="px-4 py-3 text-[11px] text-slate-600" data-testid="app-version">
          v{APP_VERSION}
          {GIT_COMMIT ? ` · ${GIT_COMMIT}` : ""}
        </footer>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="relative flex flex-wrap items-center justify-end gap-3 border-b border-slate-200 bg-white px-4 py-2.5 md:px-6">
          <div className="mr-auto">
            <MobileMenu>
              <MainNav principal={principal} label="Menu" />
            </MobileMenu>
          </div>
          <span className="text-sm text-slate-700" data-testid="user-email">
            {principal.label}
          </span>
          <span data-testid="role-badge">
            <RoleBadge role={principal.role} />
          </span>
          {principal.tenantIds.length > 0 ? (
            <span className="text-xs text-slate-500">tenants: {principal.tenantIds.join(", ")}</span>
          ) : null}
          <ThemeToggle initial={theme} />
          <SignOutButton />
        </header>
        <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 md:px-6">{children}</main>
      </div>
    </div>
  );
}

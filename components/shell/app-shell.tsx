import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { RoleBadge } from "@/components/ui/badge";
import { allowed } from "@/lib/access/permissions";
import type { Principal } from "@/lib/access/principal";
import { APP_VERSION, GIT_COMMIT } from "@/lib/version";
import { NavLink } from "./nav-link";

export function AppShell({ principal, children }: { principal: Principal; children: ReactNode }) {
  const admin = allowed(principal, "user.manage");
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
        <nav className="flex-1 space-y-1 px-2" aria-label="Main">
          <NavLink href="/">Overview</NavLink>
          <NavLink href="/before-after">Before / after</NavLink>
          <NavLink href="/observations">Observations</NavLink>
          {allowed(principal, "mv.read") ? <NavLink href="/mv">M&amp;V</NavLink> : null}
          {allowed(principal, "recommendation.read") ? (
            <NavLink href="/recommendations">Recommendations</NavLink>
          ) : null}
          {allowed(principal, "recommendation.read") ? <NavLink href="/scorecard">Scorecard</NavLink> : null}
          {allowed(principal, "dataset.read") ? <NavLink href="/datasets">Datasets</NavLink> : null}
          {allowed(principal, "mass.read") ? <NavLink href="/requests">MASS requests</NavLink> : null}
          {allowed(principal, "audit.read") ? <NavLink href="/audit">Audit trail</NavLink> : null}
          <NavLink href="/docs">API</NavLink>
          {admin ? (
            <>
              <div className="px-3 pt-4 pb-1 text-[11px] font-semibold tracking-wide text-slate-600 uppercase">
                Administration
              </div>
              <NavLink href="/admin/users">Users</NavLink>
              <NavLink href="/admin/tokens">API tokens</NavLink>
            </>
          ) : null}
        </nav>
        <footer className="px-4 py-3 text-[11px] text-slate-600" data-testid="app-version">
          v{APP_VERSION}
          {GIT_COMMIT ? ` · ${GIT_COMMIT}` : ""}
        </footer>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end gap-3 border-b border-slate-200 bg-white px-6 py-2.5">
          <span className="text-sm text-slate-700" data-testid="user-email">
            {principal.label}
          </span>
          <span data-testid="role-badge">
            <RoleBadge role={principal.role} />
          </span>
          {principal.tenantIds.length > 0 ? (
            <span className="text-xs text-slate-500">tenants: {principal.tenantIds.join(", ")}</span>
          ) : null}
          <SignOutButton />
        </header>
        <main className="mx-auto w-full max-w-7xl flex-1 px-6 py-6">{children}</main>
      </div>
    </div>
  );
}

import { allowed } from "@/lib/access/permissions";
import type { Principal } from "@/lib/access/principal";
import { NavLink } from "./nav-link";

/** The pages this principal may open, as the sidebar and the narrow screens' menu list them. */
export function MainNav({ principal, label }: { principal: Principal; label: string }) {
  return (
    <nav className="flex-1 space-y-1 px-2" aria-label={label}>
      <NavLink href="/">Overview</NavLink>
      <NavLink href="/before-after">Before / after</NavLink>
      <NavLink href="/observations">Observations</NavLink>
      {allowed(principal, "mv.read") ? <NavLink href="/mv">M&amp;V</NavLink> : null}
      {allowed(principal, "recommendation.read") ? <NavLink href="/recommendations">Recommendations</NavLink> : null}
      {allowed(principal, "recommendation.read") ? <NavLink href="/scorecard">Scorecard</NavLink> : null}
      {allowed(principal, "dataset.read") ? <NavLink href="/datasets">Datasets</NavLink> : null}
      {allowed(principal, "mass.read") ? <NavLink href="/requests">MASS requests</NavLink> : null}
      {allowed(principal, "audit.read") ? <NavLink href="/audit">Audit trail</NavLink> : null}
      <NavLink href="/docs">API</NavLink>
      {allowed(principal, "user.manage") ? (
        <>
          <div className="px-3 pt-4 pb-1 text-[11px] font-semibold tracking-wide text-slate-600 uppercase">
            Administration
          </div>
          <NavLink href="/admin/users">Users</NavLink>
          <NavLink href="/admin/tokens">API tokens</NavLink>
        </>
      ) : null}
    </nav>
  );
}

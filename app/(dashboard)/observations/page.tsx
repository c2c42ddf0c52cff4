import type { Metadata } from "next";
import Link from "next/link";
import { DashboardFilters } from "@/components/dashboard/dashboard-filters";
import { ObservationsTable } from "@/components/dashboard/observations-table";
import { InvalidFilters } from "@/components/filters/filter-bar";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { firstValues } from "@/lib/audit/audit-filter";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { viewMenu } from "@/lib/views/manage";
import { deleteViewAction, saveViewAction } from "../views/actions";
import { dashboardQueryString, ObservationPageSchema } from "@/lib/kpi/filter";
import { DEFAULT_TABLE_COLUMNS, OBSERVATION_COLUMNS } from "@/lib/kpi/observation-columns";
import { countObservations, pageObservations } from "@/lib/kpi/observations";
import { filterChoices, versionChoices } from "@/lib/kpi/overview";
import { resolvePeriod, scopeOf } from "@/lib/kpi/scope";

export const metadata: Metadata = { title: "Observations" };

export default async function ObservationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requireRole("dashboard.read");
  const raw = firstValues(await searchParams);
  const parsed = ObservationPageSchema.safeParse(raw);
  const q = parsed.success ? parsed.data : ObservationPageSchema.parse({});
  const scope = scopeOf(principal, q);
  const period = await resolvePeriod(scope, q);
  const [rows, total, choices, versions, views] = await Promise.all([
    pageObservations(scope, period, q),
    countObservations(scope, period),
    filterChoices(principal, q),
    versionChoices(principal),
    viewMenu(principal),
  ]);
  const known = new Set(OBSERVATION_COLUMNS.map((c) => c.key));
  const visible =
    (raw.cols?.split(",").filter((c) => known.has(c)) ?? []).length > 0
      ? raw.cols!.split(",").filter((c) => known.has(c))
      : DEFAULT_TABLE_COLUMNS;
  const query = new URLSearchParams(Object.entries(raw).filter(([, v]) => v)).toString();
  const filters = dashboardQueryString(q);
  const pages = Math.max(1, Math.ceil(total / q.limit));
  const pageLink = (page: number) => {
    const next = new URLSearchParams(query);
    next.set("page", String(page));
    return `/observations?${next.toString()}`;
  };
  return (
    <>
      <PageHeader
        title="Observations"
        description={`${total.toLocaleString("en")} observations from ${period.from.toISOString().slice(0, 16).replace("T", " ")} to ${period.to.toISOString().slice(0, 16).replace("T", " ")} UTC, with the same filters as the Overview.`}
        actions={
          allowed(principal, "export.create") ? (
            <>
              <a
                className={buttonClass("secondary")}
                href={`/api/v1/observations/export.csv?${filters}`}
                data-testid="export-observations"
              >
                Export CSV
              </a>
              <a className={buttonClass("secondary")} href={`/api/v1/kpi/export.csv?${filters}`}>
                KPI summary CSV
              </a>
              <a className={buttonClass("secondary")} href={`/api/v1/kpi/report.pdf?${filters}`}>
                PDF report
              </a>
            </>
          ) : null
        }
      />
      <InvalidFilters error={parsed.error} />
      <DashboardFilters
        raw={raw}
        choices={choices}
        versions={versions}
        action="/observations"
        savedViews={{ views, save: saveViewAction, remove: deleteViewAction }}
      />
      <Card>
        <ObservationsTable
          rows={rows.map((r) =>
            Object.fromEntries(
              Object.entries(r).map(([k, v]) => [
                k,
                v instanceof Date ? v.toISOString() : (v as string | number | null),
              ]),
            ),
          )}
          columns={OBSERVATION_COLUMNS.map(({ key, header, kind }) => ({ key, header, kind }))}
          visible={visible}
          sort={q.sort}
          desc={q.desc}
          query={query}
        />
        <nav className="mt-3 flex items-center justify-between text-sm" aria-label="Pages">
          <span className="text-slate-600">
            Page {q.page} of {pages.toLocaleString("en")}
          </span>
          <span className="flex gap-2">
            {q.page > 1 ? (
              <Link className={buttonClass("ghost")} href={pageLink(q.page - 1)}>
                ← Previous
              </Link>
            ) : null}
            {q.page < pages ? (
              <Link className={buttonClass("ghost")} href={pageLink(q.page + 1)} data-testid="next-page">
                Next →
              </Link>
            ) : null}
          </span>
        </nav>
      </Card>
    </>
  );
}

import type { Metadata } from "next";
import { StudyForm } from "@/components/mv/study-form";
import { Card, PageHeader } from "@/components/ui/card";
import { firstValues } from "@/lib/audit/audit-filter";
import { requireRole } from "@/lib/auth/require-user";
import { studyFormChoices } from "@/lib/mv/form-choices";
import { newStudyDefaults, sufficientPeriods } from "@/lib/mv/study-form";
import { createStudyAction } from "../actions";

export const metadata: Metadata = { title: "New M&V study" };

export default async function NewStudyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requireRole("mv.write");
  const q = firstValues(await searchParams);
  const choices = await studyFormChoices(principal);
  const tenantId = q.tenant_id && choices.tenants.includes(q.tenant_id) ? q.tenant_id : (choices.tenants[0] ?? "");
  const latest = choices.versions.filter((v) => v.latest && v.tenantId === tenantId);
  const eventMs = q.event ? Date.parse(q.event) : NaN;
  const days = Number(q.days);
  const defaults = newStudyDefaults({
    tenantId,
    siteId: q.site_id,
    clusterId: q.cluster_id,
    eventMs: Number.isFinite(eventMs) ? eventMs : undefined,
    days: Number.isFinite(days) && days > 0 ? days : undefined,
    versionIds: latest.map((v) => v.id),
    dataEndMs: Math.max(0, ...latest.map((v) => v.endMs ?? 0)) || undefined,
  });
  // From the before/after page: its two periods, widened to whole UTC days.
  const dayOf = (v: string | undefined, up: boolean) => {
    const ms = v ? Date.parse(v) : NaN;
    if (!Number.isFinite(ms)) return null;
    const floor = ms - (ms % 86_400_000);
    return new Date(up && floor !== ms ? floor + 86_400_000 : floor).toISOString().slice(0, 10);
  };
  const periods = {
    baselineFrom: dayOf(q.before_from, false),
    baselineTo: dayOf(q.before_to, true),
    reportingFrom: dayOf(q.after_from, false),
    reportingTo: dayOf(q.after_to, true),
  };
  if (periods.baselineFrom && periods.baselineTo && periods.reportingFrom && periods.reportingTo) {
    // Widened, within the data, so the default sufficiency rule passes: a before/after comparison
    // of 14 + 14 days is too short a baseline for a study (28 days of data).
    const starts = latest.map((v) => v.startMs).filter((s): s is number => s !== null);
    const ends = latest.map((v) => v.endMs).filter((s): s is number => s !== null);
    const widened = sufficientPeriods(
      {
        baselineFrom: periods.baselineFrom,
        baselineTo: periods.baselineTo,
        reportingFrom: periods.reportingFrom,
        reportingTo: periods.reportingTo,
      },
      {
        startMs: starts.length ? Math.min(...starts) : undefined,
        endMs: ends.length ? Math.max(...ends) : undefined,
      },
    );
    Object.assign(defaults, widened, {
      name: defaults.name || `Before/after ${periods.reportingFrom}${q.site_id ? `, ${q.site_id}` : ""}`,
    });
  }
  return (
    <>
      <PageHeader
        title="New M&V study"
        description="Pick the boundary, the data, the periods and the model. Every report the study produces stores this specification with the data's hashes, so it can be reproduced exactly. Editing later adds a revision; nothing is overwritten."
      />
      <Card>
        <StudyForm
          mode="create"
          serverAction={createStudyAction}
          defaults={defaults}
          versions={choices.versions}
          tenants={choices.tenants}
          scopes={choices.scopes}
        />
      </Card>
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { CalibrationChart } from "@/components/scorecard/calibration-chart";
import { FilterActions, InvalidFilters } from "@/components/filters/filter-bar";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { Input, Label, Select } from "@/components/ui/field";
import { firstValues } from "@/lib/audit/audit-filter";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { getScorecard, ScorecardFilterSchema } from "@/lib/verification/scorecard";

export const metadata: Metadata = { title: "Scorecard" };

const kwh = (v: number) => `${Math.round(v).toLocaleString("en")} kWh`;
const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)} %`);

export default async function ScorecardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requireRole("recommendation.read");
  const raw = firstValues(await searchParams);
  const parsed = ScorecardFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : ScorecardFilterSchema.parse({});
  const s = await getScorecard(principal, filter);
  const qs = new URLSearchParams(
    Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === "string"),
  ).toString();
  const t = s.total;
  return (
    <>
      <PageHeader
        title="Scorecard: predicted vs verified"
        description="How much of what BioCore predicted was actually saved. Every recommendation recorded as implemented gets an ordinary M&V study; its verified saving (with its calibrated 90 % uncertainty: Guideline 14's band widened by the model's out-of-sample error) is set against the prediction scaled to the same hours. Cooling changes are verified on the cooling boundary (Option B), where they save: the facility prediction is attributed to it."
        actions={
          allowed(principal, "export.create") ? (
            <div className="flex gap-2">
              <a
                className={buttonClass("secondary")}
                href={`/api/v1/scorecard/export.csv${qs ? `?${qs}` : ""}`}
                data-testid="scorecard-csv"
              >
                CSV
              </a>
              <a
                className={buttonClass("secondary")}
                href={`/api/v1/scorecard/report.pdf${qs ? `?${qs}` : ""}`}
                data-testid="scorecard-pdf"
              >
                PDF
              </a>
            </div>
          ) : null
        }
      />
      <Card className="mb-4">
        <form method="get" className="grid gap-3 md:grid-cols-5 md:items-end">
          <div>
            <Label htmlFor="site_id">Site</Label>
            <Select id="site_id" name="site_id" defaultValue={raw.site_id ?? ""}>
              <option value="">any</option>
              {s.sites.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </Select>
          </div>
          <div>
            <Label htmlFor="engine">Engine version</Label>
            <Select id="engine" name="engine" defaultValue={raw.engine ?? ""}>
              <option value="">any</option>
              {s.engines.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </Select>
          </div>
          <div>
            <Label htmlFor="from">Effective from</Label>
            <Input id="from" name="from" type="date" defaultValue={raw.from ?? ""} />
          </div>
          <div>
            <Label htmlFor="to">Effective before</Label>
            <Input id="to" name="to" type="date" defaultValue={raw.to ?? ""} />
          </div>
          <FilterActions resetHref="/scorecard" />
        </form>
        <InvalidFilters error={parsed.error} />
      </Card>
      <Card title="Summary" className="mb-4">
        <p className="text-sm" data-testid="scorecard-summary">
          {t.implemented} implemented, {t.verified} with a verification report: <strong>{t.confirmed} confirmed</strong>{" "}
          ({pct(t.confirmedShare)}), {t.notConfirmed} not confirmed, {t.inconclusive} inconclusive. Over the verified
          ones BioCore predicted <strong>{kwh(t.predictedKwh)}</strong> saved; M&V verified{" "}
          <strong>
            {kwh(t.verifiedKwh)} ± {kwh(t.verifiedU90Kwh)}
          </strong>{" "}
          (90 %, combined in quadrature).
        </p>
      </Card>
      <div className="grid gap-4 xl:grid-cols-2">
        <Card title="Per engine version and category">
          <div className="overflow-x-auto" tabIndex={0}>
            <table className="min-w-full text-sm" data-testid="scorecard-groups">
              <thead className="border-b border-slate-200 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-2 py-1 font-medium">Engine</th>
                  <th className="px-2 py-1 font-medium">Category</th>
                  <th className="px-2 py-1 text-right font-medium">Implemented</th>
                  <th className="px-2 py-1 text-right font-medium">Confirmed</th>
                  <th className="px-2 py-1 text-right font-medium">Predicted</th>
                  <th className="px-2 py-1 text-right font-medium">Verified ± 90 %</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular-nums">
                {s.groups.map((g) => (
                  <tr key={`${g.engine}/${g.category}`}>
                    <td className="px-2 py-1">{g.engine}</td>
                    <td className="px-2 py-1">{g.category.replace(/_/g, " ")}</td>
                    <td className="px-2 py-1 text-right">{g.implemented}</td>
                    <td className="px-2 py-1 text-right">
                      {g.confirmed} ({pct(g.confirmedShare)})
                    </td>
                    <td className="px-2 py-1 text-right">{kwh(g.predictedKwh)}</td>
                    <td className="px-2 py-1 text-right">
                      {kwh(g.verifiedKwh)} ± {kwh(g.verifiedU90Kwh)}
                    </td>
                  </tr>
                ))}
                {s.groups.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="px-2 py-4 text-center text-slate-500">
                      No implemented recommendation matches. Record one on a recommendation&apos;s page.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </Card>
        <Card title="Calibration">
          <CalibrationChart
            points={s.points.map((p) => ({
              id: p.recommendationId,
              label: `${p.recId} (${p.siteId ?? "?"}, ${p.category})`,
              predictedKwh: p.comparison.predicted.energyKwh,
              verifiedKwh: p.comparison.verified!.energyKwh,
              u90Kwh: p.comparison.verified!.energyU90Kwh,
              verdict: p.comparison.verdict,
            }))}
          />
        </Card>
      </div>
      <Card title="Biggest misses (verified − predicted)" className="mt-4">
        <div className="overflow-x-auto" tabIndex={0}>
          <table className="min-w-full text-sm" data-testid="scorecard-misses">
            <thead className="border-b border-slate-200 text-left text-xs text-slate-500">
              <tr>
                <th className="px-2 py-1 font-medium">Recommendation</th>
                <th className="px-2 py-1 font-medium">Site</th>
                <th className="px-2 py-1 font-medium">Effective</th>
                <th className="px-2 py-1 text-right font-medium">Predicted</th>
                <th className="px-2 py-1 text-right font-medium">Verified ± 90 %</th>
                <th className="px-2 py-1 text-right font-medium">Miss</th>
                <th className="px-2 py-1 font-medium">Verdict</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 tabular-nums">
              {s.misses.map((m) => (
                <tr key={m.recommendationId}>
                  <td className="px-2 py-1">
                    <Link className="underline" href={`/recommendations/${m.recommendationId}`}>
                      {m.recId} · {m.category.replace(/_/g, " ")}
                    </Link>
                  </td>
                  <td className="px-2 py-1">{m.siteId}</td>
                  <td className="px-2 py-1">{m.effectiveAt.slice(0, 10)}</td>
                  <td className="px-2 py-1 text-right">{kwh(m.comparison.predicted.energyKwh)}</td>
                  <td className="px-2 py-1 text-right">
                    {kwh(m.comparison.verified!.energyKwh)} ± {kwh(m.comparison.verified!.energyU90Kwh)}
                  </td>
                  <td className="px-2 py-1 text-right">{kwh(m.missKwh)}</td>
                  <td className="px-2 py-1">
                    {m.comparison.verdict.replace("_", " ")}
                    {m.comparison.position ? ` (prediction ${m.comparison.position} the band)` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}

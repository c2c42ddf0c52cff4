import type { Metadata } from "next";
import Link from "next/link";
import { CalibrationChart } from "@/components/scorecard/calibration-chart";
import { FilterActions, InvalidFilters } from "@/components/filters/filter-bar";
import { EmptyRow, Table, TBody, Td, Th, THead, Tr } from "@/components/tables/table";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { Input, Label, Select } from "@/components/ui/field";
import { firstValues } from "@/lib/audit/audit-filter";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { getScorecard, ScorecardFilterSchema } from "@/lib/verification/scorecard";
import type { ScorecardItem } from "@/lib/verification/scorecard-math";
import { formatKwh, formatPercent } from "@/lib/format";

export const metadata: Metadata = { title: "Scorecard" };

/** "applied 24 °C, suggested 22.8 °C" and the prediction scaled to it (or flagged), when they differ. */
function AppliedNote({ item }: { item: ScorecardItem }) {
  const a = item.comparison.applied;
  if (!a?.differs) return null;
  return (
    <span className="block text-xs text-amber-800" data-testid="scorecard-applied">
      {a.text}:{" "}
      {a.scaled ? `prediction for the change applied ${formatKwh(a.scaled.energyKwh)}` : "prediction not applicable"}
    </span>
  );
}

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
          {t.implemented} implemented, {t.verified} with a verification report, {t.conclusive} conclusive:{" "}
          <strong>{t.confirmed} confirmed</strong> ({formatPercent(t.confirmedShare, 0)} of the conclusive ones),{" "}
          {t.notConfirmed} not confirmed. Over the conclusive ones BioCore predicted{" "}
          <strong>{formatKwh(t.predictedKwh)}</strong> saved; M&V verified{" "}
          <strong>
            {formatKwh(t.verifiedKwh)} ± {formatKwh(t.verifiedU90Kwh)}
          </strong>{" "}
          (90 %, combined in quadrature).{" "}
          <span data-testid="scorecard-inconclusive-count">{t.inconclusive} inconclusive, not in the totals</span>.
        </p>
      </Card>
      <div className="grid gap-4 xl:grid-cols-2">
        <Card title="Per engine version and category">
          <Table label="Per engine version and category" testId="scorecard-groups">
            <THead>
              <Th>Engine</Th>
              <Th>Category</Th>
              <Th numeric>Implemented</Th>
              <Th numeric>Confirmed</Th>
              <Th numeric>Predicted</Th>
              <Th numeric>Verified ± 90 %</Th>
            </THead>
            <TBody>
              {s.groups.map((g) => (
                <Tr key={`${g.engine}/${g.category}`}>
                  <Td>{g.engine}</Td>
                  <Td>{g.category.replace(/_/g, " ")}</Td>
                  <Td numeric>{g.implemented}</Td>
                  <Td numeric>
                    {g.confirmed} ({formatPercent(g.confirmedShare, 0)})
                  </Td>
                  <Td numeric>{formatKwh(g.predictedKwh)}</Td>
                  <Td numeric>
                    {formatKwh(g.verifiedKwh)} ± {formatKwh(g.verifiedU90Kwh)}
                  </Td>
                </Tr>
              ))}
              {s.groups.length === 0 ? (
                <EmptyRow columns={6}>
                  No implemented recommendation matches. Record one on a recommendation&apos;s page.
                </EmptyRow>
              ) : null}
            </TBody>
          </Table>
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
      <Card title={`Inconclusive, not in the totals (${s.inconclusive.length})`} className="mt-4">
        <Table label="Inconclusive verifications" testId="scorecard-inconclusive">
          <THead>
            <Th>Recommendation</Th>
            <Th>Site</Th>
            <Th>Effective</Th>
            <Th numeric>Predicted</Th>
            <Th numeric>Verified ± 90 %</Th>
            <Th>Why inconclusive</Th>
          </THead>
          <TBody>
            {s.inconclusive.map((m) => (
              <Tr key={m.recommendationId}>
                <Td>
                  <Link className="underline" href={`/recommendations/${m.recommendationId}`}>
                    {m.recId} · {m.category.replace(/_/g, " ")}
                  </Link>
                  <AppliedNote item={m} />
                </Td>
                <Td>{m.siteId}</Td>
                <Td>{m.effectiveAt.slice(0, 10)}</Td>
                <Td numeric>{formatKwh(m.comparison.predicted.energyKwh)}</Td>
                <Td numeric>
                  {m.comparison.verified
                    ? `${formatKwh(m.comparison.verified.energyKwh)} ± ${formatKwh(m.comparison.verified.energyU90Kwh)}`
                    : "no report yet"}
                </Td>
                <Td>{m.comparison.reasons.join("; ")}</Td>
              </Tr>
            ))}
            {s.inconclusive.length === 0 ? (
              <EmptyRow columns={6}>None: every verification is conclusive.</EmptyRow>
            ) : null}
          </TBody>
        </Table>
      </Card>
      <Card title="Biggest misses (verified − predicted)" className="mt-4">
        <Table label="Biggest misses" testId="scorecard-misses">
          <THead>
            <Th>Recommendation</Th>
            <Th>Site</Th>
            <Th>Effective</Th>
            <Th numeric>Predicted</Th>
            <Th numeric>Verified ± 90 %</Th>
            <Th numeric>Miss</Th>
            <Th>Verdict</Th>
          </THead>
          <TBody>
            {s.misses.map((m) => (
              <Tr key={m.recommendationId}>
                <Td>
                  <Link className="underline" href={`/recommendations/${m.recommendationId}`}>
                    {m.recId} · {m.category.replace(/_/g, " ")}
                  </Link>
                  <AppliedNote item={m} />
                </Td>
                <Td>{m.siteId}</Td>
                <Td>{m.effectiveAt.slice(0, 10)}</Td>
                <Td numeric>{formatKwh(m.comparison.predicted.energyKwh)}</Td>
                <Td numeric>
                  {formatKwh(m.comparison.verified!.energyKwh)} ± {formatKwh(m.comparison.verified!.energyU90Kwh)}
                </Td>
                <Td numeric>{formatKwh(m.missKwh)}</Td>
                <Td>
                  {m.comparison.verdict.replace("_", " ")}
                  {m.comparison.position ? ` (prediction ${m.comparison.position} the band)` : ""}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}

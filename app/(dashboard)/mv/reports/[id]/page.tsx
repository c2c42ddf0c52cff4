import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { SeriesChart } from "@/components/mv/series-chart";
import { SpecSummary } from "@/components/mv/spec-summary";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/tables/table";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { actorNamer } from "@/lib/users/actor-names";
import { describeConventions, reportConventions } from "@/lib/mv/conventions";
import { findReport } from "@/lib/mv/repo";
import { serializeReport, type MvReportSchema } from "@/lib/mv/serialize";
import type { z } from "zod";
import { formatDecimal, formatKwh, formatPercent } from "@/lib/format";

export const metadata: Metadata = { title: "M&V report" };

function Check({ pass }: { pass: boolean }) {
  return <Badge tone={pass ? "green" : "red"}>{pass ? "pass" : "fail"}</Badge>;
}

function Stat({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId?: string }) {
  return (
    <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid={testId}>
      <p className="text-xs font-medium text-slate-600">{label}</p>
      <p className="mt-1 text-xl font-semibold tabular-nums text-slate-900">{value}</p>
      {detail ? <p className="mt-0.5 text-xs text-slate-600">{detail}</p> : null}
    </div>
  );
}

export default async function ReportPage({ params }: { params: Promise<{ id: string }> }) {
  const principal = await requireRole("mv.read");
  const { id } = await params;
  const found = /^[0-9a-f-]{36}$/i.test(id) ? await findReport(principal, id) : null;
  if (!found) notFound();
  const r = serializeReport(found);
  const res = r.results;
  const s = res.savings;
  const a = res.acceptance;
  const canExport = allowed(principal, "export.create");
  const name = await actorNamer(principal, [r.created_by]);
  const cum = res.reportingSeries.cumulativeKwh;
  // The band verdicts use: the calibrated one when the report has it (mv-2.0), else Guideline 14's.
  const calibratedBand = res.reportingSeries.cumulativeCalibrated90Kwh;
  const u90 = calibratedBand ?? res.reportingSeries.cumulativeU90Kwh;
  return (
    <>
      <PageHeader
        title={`M&V report · ${r.study.name}`}
        description={
          <>
            <Link className="underline" href={`/mv/studies/${r.study.id}`}>
              Study
            </Link>{" "}
            revision {r.revision} · computed {r.created_at.slice(0, 19).replace("T", " ")} UTC by {name(r.created_by)} ·
            method {r.method_version}
          </>
        }
        actions={
          canExport ? (
            <>
              <a
                className={buttonClass("secondary")}
                href={`/api/v1/mv/reports/${r.id}/export.csv`}
                data-testid="mv-export-csv"
              >
                Download CSV
              </a>
              <a
                className={buttonClass("secondary")}
                href={`/api/v1/mv/reports/${r.id}/report.pdf`}
                data-testid="mv-export-pdf"
              >
                Download PDF
              </a>
            </>
          ) : null
        }
      />
      <div
        className={`mb-4 rounded-md px-3 py-2 text-sm ring-1 ${a.pass ? "bg-emerald-50 text-emerald-900 ring-emerald-200" : "bg-amber-50 text-amber-900 ring-amber-200"}`}
        role="status"
        data-testid="mv-verdict"
      >
        {a.pass
          ? "The model and the savings meet every acceptance criterion of this study (ASHRAE Guideline 14 defaults unless changed)."
          : "Not every acceptance criterion is met: read the checks below before relying on this result."}
      </div>
      <div className="mb-4 grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
        <Stat
          testId="mv-avoided"
          label="Avoided energy"
          value={formatKwh(s.avoidedKwh)}
          detail={`${formatPercent(s.avoidedPct)} of the adjusted baseline`}
        />
        <Stat
          testId="mv-uncertainty"
          label="Uncertainty (90 % / 68 %)"
          value={`± ${formatKwh(s.uncertainty90.absoluteKwh)}`}
          detail={`± ${formatKwh(s.uncertainty68.absoluteKwh)} at 68 % · ${formatPercent(s.uncertainty68.fractional)} of savings`}
        />
        <Stat
          testId="mv-calibrated"
          label="Calibrated uncertainty (90 %, used for verdicts)"
          value={s.calibrated90 ? `± ${formatKwh(s.calibrated90.absoluteKwh)}` : "—"}
          detail={
            s.calibrated90
              ? `G14 band ± ${formatKwh(s.calibrated90.g14Kwh)} widened by the out-of-sample error${s.calibrated90.validated ? "" : " · not validated for this model"}`
              : (s.calibrationNote ?? "report computed before method mv-2.0")
          }
        />
        {res.selection ? (
          <Stat
            testId="mv-selection"
            label="Model chosen automatically"
            value={res.selection.chosen}
            detail={res.selection.reason}
          />
        ) : null}
        <Stat
          label="Avoided cost"
          value={s.avoidedCost === null ? "—" : `${formatDecimal(s.avoidedCost, 0)} ${s.currency ?? ""}`}
          detail="at each interval's price"
        />
        <Stat
          label="Avoided emissions"
          value={s.avoidedCo2eKg === null ? "—" : `${formatDecimal(s.avoidedCo2eKg / 1000, 2)} t CO2e`}
          detail={`PUE ${formatDecimal(res.pue.baseline)} → ${formatDecimal(res.pue.reporting)}`}
        />
      </div>
      <div className="grid gap-4 xl:grid-cols-2">
        <Card title="Fit statistics and acceptance">
          <Table label="Fit statistics and acceptance" testId="mv-fit">
            <THead>
              <Th>Statistic</Th>
              <Th numeric>Value</Th>
              <Th numeric>Result</Th>
            </THead>
            <TBody>
              <Tr>
                <Td>R² / adjusted R²</Td>
                <Td numeric>
                  {formatDecimal(res.fit.r2, 4)} / {formatDecimal(res.fit.adjR2, 4)}
                </Td>
                <Td />
              </Tr>
              <Tr data-testid="mv-cvrmse">
                <Td>CV(RMSE) (limit {formatPercent(a.cvRmse.threshold, 0)})</Td>
                <Td numeric>{formatPercent(a.cvRmse.value, 2)}</Td>
                <Td className="text-right">
                  <Check pass={a.cvRmse.pass} />
                </Td>
              </Tr>
              <Tr data-testid="mv-nmbe">
                <Td>NMBE (limit ±{formatPercent(a.nmbe.threshold, 0)})</Td>
                <Td numeric>{formatPercent(a.nmbe.value, 3)}</Td>
                <Td className="text-right">
                  <Check pass={a.nmbe.pass} />
                </Td>
              </Tr>
              <Tr>
                <Td>Savings uncertainty at 68 % (limit {formatPercent(a.uncertainty68.threshold, 0)} of savings)</Td>
                <Td numeric>{formatPercent(a.uncertainty68.value)}</Td>
                <Td className="text-right">
                  <Check pass={a.uncertainty68.pass} />
                </Td>
              </Tr>
              <Tr>
                <Td>
                  Data sufficiency (baseline {formatPercent(res.sufficiency.baseline.coverage)}, reporting{" "}
                  {formatPercent(res.sufficiency.reporting.coverage)})
                </Td>
                <Td numeric>
                  {res.sufficiency.baseline.complete} + {res.sufficiency.reporting.complete} intervals
                </Td>
                <Td className="text-right">
                  <Check pass={a.sufficiency} />
                </Td>
              </Tr>
              <Tr>
                <Td>n, p · residual ρ → effective n′</Td>
                <Td numeric>
                  {res.fit.n}, {res.fit.p} · {formatDecimal(res.fit.autocorrelation, 3)} →{" "}
                  {formatDecimal(res.fit.nEffective, 1)}
                </Td>
                <Td />
              </Tr>
            </TBody>
          </Table>
          {[...res.model.notes, ...res.dataNotes].map((n) => (
            <p key={n} className="mt-2 text-xs text-slate-600">
              {n}
            </p>
          ))}
        </Card>
        <Card title="Specification (this revision)">
          <SpecSummary spec={r.spec} />
          <InputsNote res={res} daily={r.spec.granularity === "daily"} />
        </Card>
      </div>
      <div className="mt-4 grid gap-4 xl:grid-cols-2">
        <Card title="Baseline: model fit vs actual">
          <SeriesChart
            testId="mv-chart-baseline"
            syncKey="mv-baseline"
            label="Baseline period: actual energy and the model's fit"
            unit="kWh"
            t={res.baselineSeries.t}
            lines={[
              { name: "actual", color: 6, values: res.baselineSeries.actualKwh },
              { name: "model", color: 2, values: res.baselineSeries.fittedKwh, dashed: true },
            ]}
          />
        </Card>
        <Card title="Reporting: adjusted baseline vs actual">
          <SeriesChart
            testId="mv-chart-reporting"
            syncKey="mv-reporting"
            label="Reporting period: actual energy and the adjusted baseline"
            unit="kWh"
            t={res.reportingSeries.t}
            lines={[
              { name: "actual", color: 6, values: res.reportingSeries.actualKwh },
              {
                name: "adjusted baseline",
                color: 2,
                values: res.reportingSeries.adjustedBaselineKwh,
                dashed: true,
              },
            ]}
          />
        </Card>
        <Card title="Cumulative avoided energy with its 90 % band">
          <SeriesChart
            testId="mv-chart-cumulative"
            syncKey="mv-reporting"
            label="Cumulative avoided energy with its 90 % uncertainty band"
            unit="kWh"
            t={res.reportingSeries.t}
            lines={[{ name: "cumulative savings", color: 1, values: cum }]}
            band={{
              lo: cum.map((c, i) => c - u90[i]!),
              hi: cum.map((c, i) => c + u90[i]!),
              name: calibratedBand ? "calibrated 90 % band" : "90 % uncertainty (Guideline 14)",
            }}
          />
        </Card>
        <Card title="Baseline residuals (actual − model)">
          <SeriesChart
            testId="mv-chart-residuals"
            syncKey="mv-baseline"
            label="Baseline residuals"
            unit="kWh"
            t={res.baselineSeries.t}
            lines={[
              {
                name: "residual",
                color: 3,
                values: res.baselineSeries.actualKwh.map((v, i) => v - res.baselineSeries.fittedKwh[i]!),
              },
            ]}
          />
        </Card>
      </div>
      <div className="mt-4 grid gap-4 xl:grid-cols-2">
        <Card title="Model coefficients">
          <Table label="Model coefficients" testId="mv-coefficients" tall>
            <THead>
              <Th>Term</Th>
              <Th numeric>Estimate</Th>
              <Th numeric>Std. error</Th>
              <Th numeric>t</Th>
              <Th numeric>p</Th>
            </THead>
            <TBody>
              {res.model.coefficients.map((c) => (
                <Tr key={c.name}>
                  <Td className="font-mono text-xs">{c.name}</Td>
                  <Td numeric>{c.estimate.toPrecision(5)}</Td>
                  <Td numeric>{c.stdError.toPrecision(3)}</Td>
                  <Td numeric>{c.tStat.toFixed(2)}</Td>
                  <Td numeric>{c.pValue < 1e-4 ? "<0.0001" : c.pValue.toFixed(4)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
          {res.model.balancePointSearch.length > 0 ? (
            <p className="mt-2 text-xs text-slate-600">
              Balance point {res.model.balancePointC ?? "—"} °C chosen by adjusted R² among{" "}
              {res.model.balancePointSearch.filter((c) => c.qualifies).length} qualifying candidates of{" "}
              {res.model.balancePointSearch.length} (positive cooling slope, p &lt; 0.1).
            </p>
          ) : null}
        </Card>
        <Card title="Reproducibility">
          <dl
            className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm md:grid-cols-[9rem_1fr]"
            data-testid="mv-reproducibility"
          >
            <dt className="font-medium text-slate-700">Inputs SHA-256</dt>
            <dd className="break-all font-mono text-xs">{r.inputs_hash}</dd>
            <dt className="font-medium text-slate-700">Results SHA-256</dt>
            <dd className="break-all font-mono text-xs">{r.results_hash}</dd>
            <dt className="font-medium text-slate-700">Dataset versions</dt>
            <dd className="text-xs">
              {r.dataset_versions.map((v) => (
                <span key={v.id} className="block break-all">
                  {v.dataset} v{v.version} · <span className="font-mono">{v.sha256}</span>
                </span>
              ))}
              {r.dataset_versions.length === 0 ? "none" : null}
            </dd>
            <dt className="font-medium text-slate-700">MASS data</dt>
            <dd className="text-xs">
              {r.spec.source.massUntil ? `received up to ${r.spec.source.massUntil}` : "not used"}
            </dd>
            <dt className="font-medium text-slate-700">Application</dt>
            <dd className="text-xs">
              {r.app_version}
              {r.git_commit ? ` (${r.git_commit})` : ""} · method {r.method_version}
            </dd>
            <dt className="font-medium text-slate-700">Conventions</dt>
            <dd className="text-xs" data-testid="mv-conventions">
              {describeConventions(reportConventions(res).conventions).map(([label, text]) => (
                <span key={label} className="block">
                  {label}: {text}
                </span>
              ))}
              {reportConventions(res).recorded ? null : (
                <span className="block text-slate-500">
                  Not recorded in this report (made before conventions were selectable): the ones every report used
                  then.
                </span>
              )}
              {res.savings.uncertainty90Plain ? (
                <span className="block">
                  Uncertainty without the autocorrelation correction: ±{" "}
                  {formatKwh(res.savings.uncertainty90Plain.absoluteKwh)} at 90 %, ±{" "}
                  {formatKwh(res.savings.uncertainty68Plain!.absoluteKwh)} at 68 %
                </span>
              ) : null}
            </dd>
          </dl>
          <p className="mt-2 text-xs text-slate-600">
            Running this revision again on the same immutable data yields the same results hash. The method:
            docs/MV-METHOD.md.
          </p>
        </Card>
      </div>
    </>
  );
}

/** What was left out of the inputs and why: partial days, dated exclusions, stale runs, rows dropped at load. */
function InputsNote({ res, daily }: { res: z.infer<typeof MvReportSchema>["results"]; daily: boolean }) {
  const lines: string[] = [];
  const partial = [...(res.inputs?.baseline.hoursPresent ?? []), ...(res.inputs?.reporting.hoursPresent ?? [])].filter(
    (h) => h < 24,
  ).length;
  if (daily && res.inputRules)
    lines.push(
      `Days count with at least ${res.inputRules.minHoursPerDay} complete hours, scaled to 24 h: ${partial} partial day${partial === 1 ? "" : "s"} used.`,
    );
  for (const x of (res.excludedIntervals ?? []).slice(0, 20)) lines.push(`Excluded (${x.period}) ${x.t}: ${x.reason}`);
  if ((res.excludedIntervals?.length ?? 0) > 20)
    lines.push(`… ${res.excludedIntervals!.length - 20} more excluded intervals in the CSV.`);
  const q = res.inputQuality;
  if (q) {
    for (const f of q.flags.slice(0, 20))
      lines.push(
        `Stale ${f.column} at ${[f.siteId, f.facilityId, f.clusterId, f.zoneId].filter(Boolean).join("/")}: ${f.from} → ${f.to} (${f.hours} h at ${f.value})${q.rule.includeFlagged ? ", kept" : ", left out"}`,
      );
    if (q.flagCount > 20) lines.push(`… ${q.flagCount - 20} more stale runs (${q.flaggedHours} scope-hours left out).`);
    for (const v of q.sources)
      lines.push(
        `${v.dataset} v${v.version}: ${v.duplicates} duplicate and ${v.rejected} rejected rows dropped at load.`,
      );
  }
  if (lines.length === 0) return null;
  return (
    <ul className="mt-3 list-disc pl-5 text-xs text-slate-600" data-testid="mv-inputs-note">
      {lines.map((l, i) => (
        <li key={i}>{l}</li>
      ))}
    </ul>
  );
}

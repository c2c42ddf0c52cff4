"use client";

import { useActionState, useState } from "react";
import type { FormAction } from "@/lib/http/action-result";
import { FormStatus } from "@/components/admin/form-status";
import { Button } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/field";
import { ScopeSelects, type ScopeOption } from "./scope-selects";
import { CONVENTION_KEYS, CONVENTION_TEXT } from "@/lib/mv/conventions";
import { DEFAULT_CONVENTIONS } from "@/lib/mv/spec";
import { DEFAULT_SUFFICIENCY, sufficiencyText, type StudyFormDefaults } from "@/lib/mv/study-form";

export type VersionChoice = { id: string; label: string; tenantId: string };

const field = "flex flex-col";

export function StudyForm({
  mode,
  studyId,
  defaults,
  versions,
  tenants,
  scopes,
  serverAction,
}: {
  mode: "create" | "revise";
  studyId?: string;
  defaults: StudyFormDefaults;
  versions: VersionChoice[];
  tenants: string[];
  /** The scopes the data holds (site / facility / cluster / zone), for the cascading selects. */
  scopes: ScopeOption[];
  /** createStudyAction or reviseStudyAction, as `mode` says. */
  serverAction: FormAction;
}) {
  const [state, action, pending] = useActionState(serverAction, null);
  const d = defaults;
  const [tenantId, setTenantId] = useState(d.tenantId);
  return (
    <form action={action} className="grid gap-4" data-testid="study-form">
      {studyId ? <input type="hidden" name="study_id" value={studyId} /> : null}
      <fieldset className="grid gap-3 md:grid-cols-4">
        <legend className="mb-1 text-sm font-semibold text-slate-900">Study</legend>
        <div className={`${field} md:col-span-2`}>
          <Label htmlFor="name">Name</Label>
          <Input id="name" name="name" required maxLength={200} defaultValue={d.name} />
        </div>
        <div className={field}>
          <Label htmlFor="tenant_id">Tenant</Label>
          {mode === "create" ? (
            <Select
              id="tenant_id"
              name="tenant_id"
              value={tenantId}
              onChange={(e) => setTenantId(e.target.value)}
              required
            >
              {tenants.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </Select>
          ) : (
            <Input id="tenant_id" value={d.tenantId} disabled readOnly />
          )}
        </div>
        {mode === "revise" ? (
          <div className={field}>
            <Label htmlFor="note">What changed (kept with the revision)</Label>
            <Input id="note" name="note" maxLength={1000} />
          </div>
        ) : null}
      </fieldset>

      <fieldset className="grid gap-3 md:grid-cols-4">
        <legend className="mb-1 text-sm font-semibold text-slate-900">Scope and measurement boundary</legend>
        <ScopeSelects
          key={tenantId}
          tenantId={tenantId}
          options={scopes}
          defaults={
            tenantId === d.tenantId
              ? { siteId: d.siteId, facilityId: d.facilityId, clusterId: d.clusterId, zoneId: d.zoneId }
              : { siteId: "", facilityId: "", clusterId: "", zoneId: "" }
          }
        />
        <div className={`${field} md:col-span-4`}>
          <Label htmlFor="boundary">Boundary</Label>
          <Select id="boundary" name="boundary" defaultValue={d.boundary}>
            <option value="cooling">Cooling system: chiller + fans (IPMVP Option B, retrofit isolation)</option>
            <option value="facility">Whole facility meter (IPMVP Option C)</option>
          </Select>
          <p className="mt-1 text-xs text-slate-600">
            A cooling setpoint change moves a facility&apos;s energy by about 1 % but its chillers&apos; by several
            times more (0.9 % vs 7 % in the demo): only Option B resolves it.
          </p>
        </div>
        <div className={`${field} md:col-span-4`}>
          <span className="text-sm font-medium text-slate-700">
            Option B sub-meters summed into the boundary (the site&apos;s data must have each one)
          </span>
          <input type="hidden" name="boundary_signals_shown" value="1" />
          <div className="flex gap-4">
            {(
              [
                ["chiller_kw", "chiller (chiller_kw)"],
                ["fan_power_kw", "fans (fan_power_kw)"],
              ] as const
            ).map(([value, label]) => (
              <label key={value} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="boundary_signals"
                  value={value}
                  defaultChecked={d.boundarySignals.includes(value)}
                />
                {label}
              </label>
            ))}
          </div>
        </div>
      </fieldset>

      <fieldset className="grid gap-3 md:grid-cols-4">
        <legend className="mb-1 text-sm font-semibold text-slate-900">
          Data source (pinned: a report reproduces from it)
        </legend>
        <div className="md:col-span-3">
          {versions.length === 0 ? <p className="text-sm text-slate-600">No dataset versions yet.</p> : null}
          {versions.map((v) => (
            <label key={v.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="dataset_version_ids"
                value={v.id}
                defaultChecked={d.datasetVersionIds.includes(v.id)}
              />
              {v.label}
            </label>
          ))}
        </div>
        <div className={field}>
          <Label htmlFor="mass_until">MASS data received up to (UTC, optional)</Label>
          <Input id="mass_until" name="mass_until" type="datetime-local" defaultValue={d.massUntil} />
        </div>
      </fieldset>

      <fieldset className="grid gap-3 md:grid-cols-4">
        <legend className="mb-1 text-sm font-semibold text-slate-900">Periods (whole UTC days) and model</legend>
        <p className="text-xs text-slate-600 md:col-span-4" data-testid="sufficiency-rule">
          Data sufficiency: a study {sufficiencyText(DEFAULT_SUFFICIENCY)}
          {d.minCoveragePct ? ` (this study: ≥ ${d.minCoveragePct} %)` : ""}; otherwise its report says so and fails
          acceptance.
        </p>
        {(
          [
            ["baseline_from", "Baseline from", d.baselineFrom],
            ["baseline_to", "Baseline to (exclusive)", d.baselineTo],
            ["reporting_from", "Reporting from", d.reportingFrom],
            ["reporting_to", "Reporting to (exclusive)", d.reportingTo],
          ] as const
        ).map(([name, label, value]) => (
          <div key={name} className={field}>
            <Label htmlFor={name}>{label}</Label>
            <Input id={name} name={name} type="date" required defaultValue={value} />
          </div>
        ))}
        <div className={field}>
          <Label htmlFor="granularity">Granularity</Label>
          <Select id="granularity" name="granularity" defaultValue={d.granularity}>
            <option value="daily">daily</option>
            <option value="hourly">hourly</option>
          </Select>
        </div>
        <div className={field}>
          <Label htmlFor="model">Model</Label>
          <Select id="model" name="model" defaultValue={d.model}>
            <option value="auto">Automatic: the lowest cross-validated error of all models</option>
            <option value="dc_lift">Data centre: IT energy + IT energy × temperature lift</option>
            <option value="ols_it_cdd">OLS: IT energy + cooling degree-days/hours</option>
            <option value="towt">TOWT: time of week and temperature (+ IT energy), hourly</option>
            <option value="ols_it">OLS: IT energy</option>
            <option value="mean">Mean (intercept only)</option>
          </Select>
        </div>
        <div className={field}>
          <Label htmlFor="balance_point_c">Balance point °C (empty: search 10–26 °C)</Label>
          <Input id="balance_point_c" name="balance_point_c" type="number" step="0.1" defaultValue={d.balancePointC} />
        </div>
      </fieldset>

      <fieldset className="grid gap-3 md:grid-cols-4">
        <legend className="mb-1 text-sm font-semibold text-slate-900">Assumptions</legend>
        <div className={field}>
          <Label htmlFor="price_source">Energy price</Label>
          <Select id="price_source" name="price_source" defaultValue={d.priceSource}>
            <option value="data">per interval, from the data</option>
            <option value="fixed">fixed value</option>
          </Select>
        </div>
        <div className={field}>
          <Label htmlFor="price_per_kwh">Fixed price per kWh</Label>
          <Input
            id="price_per_kwh"
            name="price_per_kwh"
            type="number"
            step="0.0001"
            min={0}
            defaultValue={d.pricePerKwh}
          />
        </div>
        <div className={field}>
          <Label htmlFor="currency">Currency (fixed price)</Label>
          <Input id="currency" name="currency" maxLength={3} defaultValue={d.currency} placeholder="EUR" />
        </div>
        <div />
        <div className={field}>
          <Label htmlFor="carbon_source">Carbon intensity</Label>
          <Select id="carbon_source" name="carbon_source" defaultValue={d.carbonSource}>
            <option value="data">per interval, from the data</option>
            <option value="fixed">fixed value</option>
          </Select>
        </div>
        <div className={field}>
          <Label htmlFor="carbon_g_per_kwh">Fixed gCO2e per kWh</Label>
          <Input
            id="carbon_g_per_kwh"
            name="carbon_g_per_kwh"
            type="number"
            step="1"
            min={0}
            defaultValue={d.carbonGPerKwh}
          />
        </div>
        <div className={`${field} md:col-span-2`} />
        <div className={`${field} md:col-span-2`}>
          <Label htmlFor="exclusions">
            Exclusions (baseline or reporting period): one per line, &quot;from, to, reason&quot;
          </Label>
          <textarea
            id="exclusions"
            name="exclusions"
            rows={3}
            defaultValue={d.exclusions}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
            placeholder="2026-03-10, 2026-03-15, chiller maintenance"
          />
        </div>
        <div className={`${field} md:col-span-2`}>
          <Label htmlFor="adjustments">Non-routine adjustments: one per line, &quot;date, kWh, reason&quot;</Label>
          <textarea
            id="adjustments"
            name="adjustments"
            rows={3}
            defaultValue={d.adjustments}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
            placeholder="2026-06-10, -1200, new rack row commissioned"
          />
        </div>
        {(
          [
            ["min_coverage_pct", "Minimum coverage %", d.minCoveragePct, "90"],
            ["max_cv_rmse_pct", "Max CV(RMSE) %", d.maxCvRmsePct, "30"],
            ["max_abs_nmbe_pct", "Max |NMBE| %", d.maxAbsNmbePct, "10"],
            ["max_fsu_pct", "Max savings uncertainty (68 %) %", d.maxFsuPct, "50"],
          ] as const
        ).map(([name, label, value, placeholder]) => (
          <div key={name} className={field}>
            <Label htmlFor={name}>{label}</Label>
            <Input
              id={name}
              name={name}
              type="number"
              step="0.1"
              min={0}
              defaultValue={value}
              placeholder={`${placeholder} (G14 default)`}
            />
          </div>
        ))}
        <div className={field}>
          <Label htmlFor="min_hours_per_day">Daily: minimum complete hours per day</Label>
          <Input
            id="min_hours_per_day"
            name="min_hours_per_day"
            type="number"
            step="1"
            min={1}
            max={24}
            defaultValue={d.minHoursPerDay}
            placeholder="12 (CalTRACK default)"
          />
        </div>
        <div className={`${field} md:col-span-3`}>
          <label className="mt-5 flex items-center gap-2 text-sm">
            <input type="checkbox" name="include_flagged" defaultChecked={d.includeFlagged} />
            Keep hours flagged by data quality (stale meter readings; left out by default)
          </label>
        </div>
      </fieldset>

      <details className="rounded-md border border-slate-200 px-3 py-2" data-testid="study-conventions">
        <summary className="cursor-pointer text-sm font-semibold text-slate-900">Advanced: conventions</summary>
        <p className="mt-1 text-xs text-slate-600">
          Choices on which the references differ. Every report states the ones it used; the defaults are preselected
          (docs/MV-METHOD.md §15).
        </p>
        <div className="mt-2 grid gap-3 md:grid-cols-2">
          {CONVENTION_KEYS.map((key) => {
            const name = `conv_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
            const options = CONVENTION_TEXT[key].options as Record<string, string>;
            return (
              <div key={key} className={field}>
                <Label htmlFor={name}>{CONVENTION_TEXT[key].label}</Label>
                <Select id={name} name={name} defaultValue={d.conventions[key]}>
                  {Object.entries(options).map(([value, text]) => (
                    <option key={value} value={value}>
                      {text}
                      {value === DEFAULT_CONVENTIONS[key] ? " — default" : ""}
                    </option>
                  ))}
                </Select>
              </div>
            );
          })}
        </div>
      </details>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : mode === "create" ? "Create study" : "Save as a new revision"}
        </Button>
      </div>
      <FormStatus state={state} />
    </form>
  );
}

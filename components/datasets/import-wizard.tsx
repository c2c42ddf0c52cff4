"use client";
// The import wizard: a file read by the server's dry run (POST /api/v1/datasets/preview) — how it
// is read (delimiter, decimal, date format, time zone and DST rules; detected values preselected),
// each column mapped to a signal or ignored (suggested from its header), the first rows as read and
// the summary — then stored with exactly those settings (POST /api/v1/datasets), which are saved
// with the dataset for its next versions.
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/tables/table";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input, Label, Select } from "@/components/ui/field";

export type MappingTargetOption = { value: string; label: string; units: string[] };

type Entry = { ignore: true } | { signal: string; unit?: string };
type DstCounts = {
  ambiguous_rows: number;
  ambiguous_earlier: number;
  ambiguous_later: number;
  ambiguous_rejected: number;
  gap_rows: number;
  gap_shifted: number;
  gap_rejected: number;
};
type Options = {
  delimiter: string;
  decimal: string;
  date_format: string;
  timezone: string;
  dst_ambiguous: string;
  dst_gap: string;
};
type ProblemGroup = { column: string; detail: string; count: number; rows: number[]; values: string[] };
type Preview = {
  ready: boolean;
  detail: string;
  options: Options | null;
  options_source: { saved: boolean; given: string[] };
  columns: { header: string; suggestion: Entry; recognised: boolean; column: string | null; note: string | null }[];
  signals: string[];
  rows: {
    row: number;
    cells: string[];
    ts_utc: string | null;
    ids: Record<string, string | null> | null;
    values: (number | null)[] | null;
    problems: { column: string; value: string; detail: string }[];
  }[];
  summary: {
    rows_read: number;
    rows_valid: number;
    rows_rejected: number;
    rows_stored: number | null;
    duplicates: number | null;
    series: number;
    first_utc: string | null;
    last_utc: string | null;
    columns_mapped: { header: string; column: string; note: string | null }[];
    columns_ignored: { header: string; reason: string }[];
    total_problems: number;
    problem_groups: ProblemGroup[];
    complete: boolean;
    naive_timestamps: number;
    dst: DstCounts;
  } | null;
  problems: { pointer: string; detail: string; column?: string }[];
};
type Problem = { detail: string; errors?: { pointer: string; detail: string }[] };
type Stored = {
  created: boolean;
  dataset: { id: string; name: string };
  version: { version: number; row_count: number };
  /** With "Ask BioCore" ticked and a new version: one ask per site and cluster, or why it could not be asked. */
  biocore_asks?: { site_id: string; cluster_id: string | null; job_id?: string; error?: string }[];
};

const AUTO = "";
const IGNORE = "";

const n = (v: number) => v.toLocaleString("en");
const instant = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—");

export function ImportWizard({
  names,
  targets,
  zones,
  canAsk = false,
}: {
  names: string[];
  targets: MappingTargetOption[];
  zones: string[];
  /** The user may ask BioCore (the upload then offers to, once stored). */
  canAsk?: boolean;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [onError, setOnError] = useState("strict");
  const [options, setOptions] = useState<Options>({
    delimiter: AUTO,
    decimal: AUTO,
    date_format: AUTO,
    timezone: "UTC",
    dst_ambiguous: "by_order",
    dst_gap: "reject",
  });
  const [mapping, setMapping] = useState<Record<string, { target: string; unit: string }>>({});
  const [preview, setPreview] = useState<Preview | null>(null);
  /** The settings of the last preview: the commit is offered for exactly those. */
  const [checked, setChecked] = useState<string | null>(null);
  const [busy, setBusy] = useState<null | "preview" | "store">(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [stored, setStored] = useState<Stored | null>(null);
  const [ask, setAsk] = useState(false);

  const mappingJson = () =>
    JSON.stringify(
      Object.fromEntries(
        Object.entries(mapping).map(([header, m]) => [
          header,
          m.target === IGNORE ? { ignore: true } : m.unit ? { signal: m.target, unit: m.unit } : { signal: m.target },
        ]),
      ),
    );
  const query = (withSettings: boolean) => {
    const q = new URLSearchParams({ on_error: onError });
    if (name.trim()) q.set("name", name.trim());
    if (file) q.set("filename", file.name);
    if (withSettings) {
      for (const [k, v] of Object.entries(options)) if (v !== AUTO) q.set(k, v);
      if (Object.keys(mapping).length > 0) q.set("mapping", mappingJson());
    }
    return q;
  };
  const settingsKey = () => query(true).toString();

  async function send(path: string, q: URLSearchParams): Promise<{ ok: boolean; body: unknown }> {
    const res = await fetch(`${path}?${q}`, { method: "POST", headers: { "Content-Type": "text/csv" }, body: file });
    return { ok: res.ok, body: await res.json() };
  }

  async function runPreview(withSettings: boolean) {
    if (!file) return;
    setBusy("preview");
    setProblem(null);
    setStored(null);
    try {
      const q = query(withSettings);
      const { ok, body } = await send("/api/v1/datasets/preview", q);
      if (!ok) {
        setProblem(body as Problem);
        return;
      }
      const p = body as Preview;
      setPreview(p);
      if (!withSettings) {
        // The first read: the detected (or saved) settings preselected, the mapping as applied or suggested.
        if (p.options) setOptions({ ...p.options });
        setMapping(
          Object.fromEntries(
            p.columns
              .filter((c) => c.header.trim() !== "")
              .map((c) => {
                const e: Entry = c.column
                  ? { signal: c.column === "timestamp_utc" ? "timestamp" : c.column, unit: unitOf(c) }
                  : c.suggestion;
                return [
                  c.header,
                  "ignore" in e ? { target: IGNORE, unit: "" } : { target: e.signal, unit: e.unit ?? "" },
                ];
              }),
          ),
        );
        setChecked(null);
      } else setChecked(q.toString());
    } catch (error) {
      setProblem({ detail: `The file could not be read: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setBusy(null);
    }
  }

  async function store() {
    setBusy("store");
    setProblem(null);
    try {
      const q = query(true);
      // Not a setting of the file: asked once the new version is stored (the upload's ask_biocore).
      if (ask) q.set("ask_biocore", "true");
      const { ok, body } = await send("/api/v1/datasets", q);
      if (!ok) setProblem(body as Problem);
      else setStored(body as Stored);
    } catch (error) {
      setProblem({ detail: `The upload failed: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setBusy(null);
    }
  }

  const upToDate = checked !== null && checked === settingsKey();
  const setOption = (key: keyof Options) => (value: string) => setOptions((o) => ({ ...o, [key]: value }));

  return (
    <div className="space-y-6" data-testid="import-wizard">
      <Card title="1 · The file">
        <div className="grid gap-3 md:grid-cols-4 md:items-end">
          <div className="md:col-span-2">
            <Label htmlFor="wizard-file">CSV file (UTF-8, up to 200 MB)</Label>
            <Input
              id="wizard-file"
              type="file"
              accept=".csv,.txt,text/csv"
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
                setPreview(null);
                setStored(null);
              }}
            />
          </div>
          <div>
            <Label htmlFor="wizard-name">Dataset</Label>
            <Input
              id="wizard-name"
              list="wizard-dataset-names"
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              placeholder="e.g. site telemetry"
            />
            <datalist id="wizard-dataset-names">
              {names.map((v) => (
                <option key={v} value={v} />
              ))}
            </datalist>
          </div>
          <div>
            <Label htmlFor="wizard-on-error">Bad rows</Label>
            <Select id="wizard-on-error" value={onError} onChange={(e) => setOnError(e.currentTarget.value)}>
              <option value="strict">refuse the file</option>
              <option value="skip">skip them, store the rest</option>
            </Select>
          </div>
        </div>
        <div className="mt-3 flex items-center gap-3">
          <Button type="button" disabled={!file || !name.trim() || busy !== null} onClick={() => runPreview(false)}>
            {busy === "preview" && !preview ? "Reading…" : "Read the file"}
          </Button>
          <p className="text-xs text-slate-500">
            Nothing is stored until step 5. A dataset imported before reuses its saved settings.
          </p>
        </div>
      </Card>

      {problem ? (
        <div className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" role="alert" data-testid="wizard-error">
          <p className="font-medium">{problem.detail}</p>
          {problem.errors?.length ? (
            <ul className="mt-1 list-disc pl-5">
              {problem.errors.map((e) => (
                <li key={`${e.pointer}${e.detail}`}>
                  <code>{e.pointer}</code> {e.detail}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {preview ? (
        <>
          <Card
            title="2 · How the file is read"
            actions={
              preview.options_source.saved ? (
                <span className="text-xs text-slate-500">the dataset&rsquo;s saved settings applied</span>
              ) : null
            }
          >
            <div className="grid gap-3 md:grid-cols-3">
              <Choice id="opt-delimiter" label="Delimiter" value={options.delimiter} onChange={setOption("delimiter")}>
                <option value=",">comma ,</option>
                <option value=";">semicolon ;</option>
                <option value="tab">tab</option>
                <option value="|">pipe |</option>
              </Choice>
              <Choice
                id="opt-decimal"
                label="Decimal separator"
                value={options.decimal}
                onChange={setOption("decimal")}
              >
                <option value=".">point 12.5</option>
                <option value=",">comma 12,5</option>
              </Choice>
              <Choice
                id="opt-date-format"
                label="Date format"
                value={options.date_format}
                onChange={setOption("date_format")}
              >
                <option value="iso">ISO 8601 (2026-10-25T02:00, an offset optional)</option>
                <option value="dd/mm/yyyy">dd/mm/yyyy HH:mm[:ss]</option>
                <option value="mm/dd/yyyy">mm/dd/yyyy HH:mm[:ss]</option>
                <option value="yyyy-mm-dd">yyyy-mm-dd HH:mm[:ss]</option>
              </Choice>
              <div>
                <Label htmlFor="opt-timezone">Time zone of timestamps without an offset</Label>
                <Select
                  id="opt-timezone"
                  value={options.timezone}
                  onChange={(e) => setOption("timezone")(e.currentTarget.value)}
                >
                  {zones.map((z) => (
                    <option key={z} value={z}>
                      {z}
                    </option>
                  ))}
                </Select>
              </div>
              <Choice
                id="opt-dst-ambiguous"
                label="The hour repeated in autumn"
                value={options.dst_ambiguous}
                onChange={setOption("dst_ambiguous")}
              >
                <option value="by_order">by order: first occurrence summer time, second winter time</option>
                <option value="earlier">always the first (summer time)</option>
                <option value="later">always the second (winter time)</option>
                <option value="reject">refuse those rows</option>
              </Choice>
              <Choice
                id="opt-dst-gap"
                label="The hour skipped in spring"
                value={options.dst_gap}
                onChange={setOption("dst_gap")}
              >
                <option value="reject">refuse those rows (the time never existed)</option>
                <option value="shift_forward">move them on by the gap</option>
              </Choice>
            </div>
            {preview.summary && preview.summary.naive_timestamps > 0 && options.timezone === "UTC" ? (
              <p className="mt-3 rounded bg-amber-50 px-2 py-1 text-sm text-amber-900" data-testid="wizard-naive">
                {n(preview.summary.naive_timestamps)} rows have timestamps without an offset: they are read in the zone
                chosen above (UTC now). Choose the zone the meter logged in.
              </p>
            ) : null}
          </Card>

          <Card title="3 · Columns">
            <Table label="Column mapping" testId="wizard-mapping">
              <THead>
                <Th>Column of the file</Th>
                <Th>First value</Th>
                <Th>Goes to</Th>
                <Th>Unit in the file</Th>
              </THead>
              <TBody>
                {preview.columns.map((c, i) => {
                  if (c.header.trim() === "") return null;
                  const m = mapping[c.header] ?? { target: IGNORE, unit: "" };
                  const units = targets.find((t) => t.value === m.target)?.units ?? [];
                  return (
                    <Tr key={c.header} data-testid="wizard-column">
                      <Td className="font-medium">
                        {c.header}
                        {!c.recognised && m.target === IGNORE ? (
                          <span className="ml-2 rounded bg-amber-100 px-1 text-xs text-amber-900">not recognised</span>
                        ) : null}
                      </Td>
                      <Td className="font-mono text-xs">{preview.rows[0]?.cells[i] ?? ""}</Td>
                      <Td>
                        <label className="sr-only" htmlFor={`map-${i}`}>
                          {`Where “${c.header}” goes`}
                        </label>
                        <Select
                          id={`map-${i}`}
                          value={m.target}
                          onChange={(e) => {
                            const target = e.currentTarget.value;
                            setMapping((old) => ({ ...old, [c.header]: { target, unit: "" } }));
                          }}
                        >
                          <option value={IGNORE}>ignore (not stored)</option>
                          {targets.map((t) => (
                            <option key={t.value} value={t.value}>
                              {t.label}
                            </option>
                          ))}
                        </Select>
                      </Td>
                      <Td>
                        {units.length > 1 ? (
                          <>
                            <label className="sr-only" htmlFor={`unit-${i}`}>
                              {`Unit of “${c.header}”`}
                            </label>
                            <Select
                              id={`unit-${i}`}
                              value={m.unit}
                              onChange={(e) => {
                                const unit = e.currentTarget.value;
                                setMapping((old) => ({ ...old, [c.header]: { ...m, unit } }));
                              }}
                            >
                              <option value="">{units[0]} (as stored)</option>
                              {units.slice(1).map((u) => (
                                <option key={u} value={u}>
                                  {u}
                                </option>
                              ))}
                            </Select>
                          </>
                        ) : (
                          <span className="text-xs text-slate-500">{units[0] ?? "—"}</span>
                        )}
                      </Td>
                    </Tr>
                  );
                })}
              </TBody>
            </Table>
            <div className="mt-3">
              <Button type="button" disabled={busy !== null} onClick={() => runPreview(true)}>
                {busy === "preview" && preview ? "Checking…" : "Check the whole file with these settings"}
              </Button>
            </div>
          </Card>

          <FirstRows preview={preview} />

          {checked !== null ? <Summary preview={preview} /> : null}

          {checked !== null ? (
            <Card title="5 · Store">
              {stored ? (
                <p className="text-sm" role="status" data-testid="wizard-stored">
                  {stored.created
                    ? `Stored version ${stored.version.version} of “${stored.dataset.name}”: ${n(stored.version.row_count)} rows. `
                    : `These exact bytes are already version ${stored.version.version} of “${stored.dataset.name}”. `}
                  <Link
                    className="font-medium underline"
                    href={`/datasets/${stored.dataset.id}/versions/${stored.version.version}`}
                  >
                    Open the version
                  </Link>
                  {stored.biocore_asks ? <AskSummary asks={stored.biocore_asks} /> : null}
                </p>
              ) : (
                <div className="flex flex-wrap items-center gap-3">
                  {canAsk ? (
                    <label className="flex basis-full items-center gap-2 text-sm" data-testid="wizard-ask">
                      <input type="checkbox" checked={ask} onChange={(e) => setAsk(e.currentTarget.checked)} />
                      Then ask BioCore about each site and cluster of the new version (its last day of data; at most 20)
                    </label>
                  ) : null}
                  <Button type="button" disabled={!upToDate || !preview.ready || busy !== null} onClick={store}>
                    {busy === "store" ? "Storing…" : "Store as a new version"}
                  </Button>
                  <p className="text-xs text-slate-500">
                    {!upToDate
                      ? "The settings changed since the check: check again first."
                      : preview.ready
                        ? "Stored with these settings; they are saved with the dataset for its next versions."
                        : "The check found problems that refuse the file; fix the settings or the file."}
                  </p>
                </div>
              )}
            </Card>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/** What the asks after the upload did: how many were queued, and why any could not be. */
function AskSummary({ asks }: { asks: NonNullable<Stored["biocore_asks"]> }) {
  const queued = asks.filter((a) => a.job_id).length;
  const failed = asks.filter((a) => a.error);
  const scope = (a: { site_id: string; cluster_id: string | null }) =>
    a.cluster_id ? `${a.site_id}/${a.cluster_id}` : a.site_id;
  return (
    <span className="mt-1 block" data-testid="wizard-asks">
      {queued > 0
        ? `BioCore was asked about ${n(queued)} ${queued === 1 ? "site or cluster" : "sites and clusters"}. `
        : "BioCore was not asked. "}
      {failed.length > 0 ? `Not asked: ${failed.map((a) => `${scope(a)} (${a.error})`).join("; ")}. ` : null}
      {queued > 0 ? (
        <Link className="font-medium underline" href="/recommendations">
          See the recommendations
        </Link>
      ) : null}
    </span>
  );
}

function unitOf(c: Preview["columns"][number]): string | undefined {
  return "signal" in c.suggestion && c.suggestion.signal === c.column ? c.suggestion.unit : undefined;
}

function Choice({
  id,
  label,
  value,
  onChange,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  children: ReactNode;
}) {
  return (
    <div>
      <Label htmlFor={id}>{label}</Label>
      <Select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {value === AUTO ? <option value={AUTO}>detect</option> : null}
        {children}
      </Select>
    </div>
  );
}

function FirstRows({ preview }: { preview: Preview }) {
  const ids = ["site_id", "facility_id", "cluster_id", "zone_id"].filter((k) =>
    preview.rows.some((r) => r.ids?.[k] != null),
  );
  return (
    <Card title="4 · The first rows as read">
      {preview.problems.length > 0 ? (
        <div className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="wizard-file-problems">
          <p className="font-medium">{preview.detail}</p>
          <ul className="mt-1 list-disc pl-5">
            {preview.problems.map((p) => (
              <li key={`${p.pointer}${p.column ?? ""}${p.detail}`}>
                {p.column ? <strong>{p.column}</strong> : null} {p.detail}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Table label="The first rows of the file as read" testId="wizard-rows">
        <THead>
          <Th numeric>Row</Th>
          <Th>Instant (UTC)</Th>
          {ids.map((k) => (
            <Th key={k}>{k}</Th>
          ))}
          {preview.signals.map((s) => (
            <Th key={s} numeric>
              {s}
            </Th>
          ))}
          <Th>Problems</Th>
        </THead>
        <TBody>
          {preview.rows.map((r) => (
            <Tr key={r.row}>
              <Td numeric>{r.row}</Td>
              <Td className="whitespace-nowrap font-mono text-xs">{r.ts_utc ?? "—"}</Td>
              {ids.map((k) => (
                <Td key={k}>{r.ids?.[k] ?? ""}</Td>
              ))}
              {preview.signals.map((s, i) => (
                <Td key={s} numeric>
                  {r.values?.[i] ?? ""}
                </Td>
              ))}
              <Td className="text-xs text-red-800">
                {r.problems.map((p) => `${p.column}: “${p.value}” ${p.detail}`).join("; ")}
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}

function Summary({ preview }: { preview: Preview }) {
  const s = preview.summary;
  if (!s) return null;
  const d = s.dst;
  return (
    <Card title="Dry run: what would be stored">
      <div data-testid="wizard-summary" className="space-y-3 text-sm">
        <p className={preview.ready ? "font-medium text-emerald-800" : "font-medium text-red-800"}>{preview.detail}</p>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-1 md:grid-cols-4">
          <Fact label="Rows read" value={n(s.rows_read)} />
          <Fact label="Rows stored" value={s.rows_stored === null ? "none (refused)" : n(s.rows_stored)} />
          <Fact label="Rows with problems" value={n(s.rows_rejected)} />
          <Fact label="Duplicates dropped" value={s.duplicates === null ? "—" : n(s.duplicates)} />
          <Fact label="Series" value={n(s.series)} />
          <Fact label="From" value={instant(s.first_utc)} />
          <Fact label="To" value={instant(s.last_utc)} />
          <Fact label="Without an offset" value={n(s.naive_timestamps)} />
        </dl>
        <p data-testid="wizard-mapped">
          <strong>Columns stored:</strong>{" "}
          {s.columns_mapped.map((c) => `${c.header} → ${c.column}${c.note ? ` (${c.note})` : ""}`).join(", ") || "none"}
        </p>
        <p data-testid="wizard-ignored">
          <strong>Columns not stored:</strong>{" "}
          {s.columns_ignored.map((c) => `${c.header} (${c.reason})`).join(", ") || "none"}
        </p>
        <p data-testid="wizard-dst">
          <strong>Daylight saving time:</strong>{" "}
          {d.ambiguous_rows === 0 && d.gap_rows === 0
            ? "no row in a repeated or skipped hour."
            : [
                d.ambiguous_rows > 0
                  ? `${n(d.ambiguous_rows)} rows in the repeated hour: ${n(d.ambiguous_earlier)} read as its first occurrence (summer time), ${n(d.ambiguous_later)} as its second (winter time)${d.ambiguous_rejected ? `, ${n(d.ambiguous_rejected)} refused` : ""}`
                  : null,
                d.gap_rows > 0
                  ? `${n(d.gap_rows)} rows in the skipped hour: ${n(d.gap_shifted)} moved on by the gap, ${n(d.gap_rejected)} refused`
                  : null,
              ]
                .filter(Boolean)
                .join("; ") + "."}
        </p>
        {s.problem_groups.length > 0 ? (
          <Table label="Problems by kind" testId="wizard-problem-groups">
            <THead>
              <Th>Column</Th>
              <Th>Problem</Th>
              <Th numeric>Rows</Th>
              <Th>For example</Th>
            </THead>
            <TBody>
              {s.problem_groups.map((g) => (
                <Tr key={`${g.column}${g.detail}`}>
                  <Td>{g.column}</Td>
                  <Td>{g.detail}</Td>
                  <Td numeric>{n(g.count)}</Td>
                  <Td>
                    {g.rows.map((r) => `row ${r}`).join(", ")}:{" "}
                    <span className="font-mono">{g.values.map((v) => `“${v}”`).join(", ")}</span>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        ) : null}
        {!s.complete ? <p>Reading stopped at 1,000 problems; the rest of the file was not checked.</p> : null}
      </div>
    </Card>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="tabular-nums">{value}</dd>
    </div>
  );
}

"use client";
// Uploads a CSV straight from the browser to the API (the file is streamed as the request body),
// then shows the stored version or every problem the server found.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { DataTable, type BasicColumn } from "@/components/tables/data-table";
import { Button } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/field";

type ProblemGroup = { column: string; detail: string; count: number; rows: number[]; values: string[] };
type Problem = {
  detail: string;
  total_problems?: number;
  /** CSV uploads: the problems by kind, most frequent first. */
  problem_groups?: ProblemGroup[];
  errors?: { row?: number; column?: string; value?: string; detail: string }[];
};
type RowProblem = NonNullable<Problem["errors"]>[number];

// A file with one systematic fault (every timestamp day-first) reads as one line with a count.
const groupColumns: BasicColumn<ProblemGroup>[] = [
  { accessorKey: "column", header: "Column" },
  { accessorKey: "detail", header: "Problem" },
  {
    accessorKey: "count",
    header: "Rows",
    meta: { numeric: true },
    cell: (c) => c.getValue<number>().toLocaleString("en"),
  },
  {
    id: "examples",
    header: "For example",
    cell: (c) => (
      <span>
        {c.row.original.rows.map((r) => `row ${r}`).join(", ")}:{" "}
        <span className="font-mono">{c.row.original.values.map((v) => `“${v}”`).join(", ")}</span>
      </span>
    ),
  },
];

const problemColumns: BasicColumn<RowProblem>[] = [
  { accessorKey: "row", header: "Row", meta: { numeric: true }, cell: (c) => c.getValue<number | undefined>() ?? "" },
  { accessorKey: "column", header: "Column", cell: (c) => c.getValue<string | undefined>() ?? "" },
  {
    accessorKey: "value",
    header: "Value",
    cell: (c) => <span className="font-mono">{c.getValue<string | undefined>() ?? ""}</span>,
  },
  { accessorKey: "detail", header: "Reason" },
];

type Uploaded = {
  created: boolean;
  dataset: { id: string; name: string };
  version: {
    version: number;
    row_count: number;
    rejected_count: number;
    duplicate_count: number;
    quality_passes: boolean;
    /** How each header was read; `column: null` means the header was ignored (not stored). */
    columns: { header: string; column: string | null; note: string | null }[];
  };
};
type State =
  | { kind: "idle" }
  | { kind: "uploading"; name: string }
  | { kind: "done"; result: Uploaded }
  | { kind: "error"; problem: Problem };

export function UploadForm({ names }: { names: string[] }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ kind: "idle" });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setState({ kind: "error", problem: { detail: "Choose a non-empty CSV file." } });
      return;
    }
    const query = new URLSearchParams({
      name: String(form.get("name") ?? ""),
      on_error: String(form.get("on_error") ?? "strict"),
      filename: file.name,
    });
    const tenant = String(form.get("tenant_id") ?? "").trim();
    if (tenant) query.set("tenant_id", tenant);
    setState({ kind: "uploading", name: file.name });
    try {
      const res = await fetch(`/api/v1/datasets?${query}`, {
        method: "POST",
        headers: { "Content-Type": "text/csv" },
        body: file,
      });
      const body = (await res.json()) as Uploaded | Problem;
      if (!res.ok) {
        setState({ kind: "error", problem: body as Problem });
        return;
      }
      setState({ kind: "done", result: body as Uploaded });
      router.refresh();
    } catch (error) {
      setState({
        kind: "error",
        problem: { detail: `The upload failed: ${error instanceof Error ? error.message : String(error)}` },
      });
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" data-testid="upload-form">
      <div className="grid gap-3 md:grid-cols-4 md:items-end">
        <div className="md:col-span-2">
          <Label htmlFor="file">CSV file (UTF-8, delimiter detected, up to 200 MB)</Label>
          <Input id="file" name="file" type="file" accept=".csv,text/csv" required />
        </div>
        <div>
          <Label htmlFor="name">Dataset</Label>
          <Input
            id="name"
            name="name"
            list="dataset-names"
            required
            maxLength={100}
            placeholder="e.g. site telemetry"
          />
          <datalist id="dataset-names">
            {names.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </div>
        <div>
          <Label htmlFor="on_error">Bad rows</Label>
          <Select id="on_error" name="on_error" defaultValue="strict">
            <option value="strict">refuse the file</option>
            <option value="skip">skip them, store the rest</option>
          </Select>
        </div>
        <div>
          <Label htmlFor="tenant_id">Tenant (optional)</Label>
          <Input id="tenant_id" name="tenant_id" maxLength={64} placeholder="default" />
        </div>
        <div>
          <Button type="submit" disabled={state.kind === "uploading"}>
            {state.kind === "uploading" ? "Uploading…" : "Upload"}
          </Button>
        </div>
      </div>
      {state.kind === "done" ? (
        <div
          className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
          role="status"
          data-testid="upload-result"
        >
          {state.result.created ? (
            <>
              Stored version {state.result.version.version} of “{state.result.dataset.name}”:{" "}
              {state.result.version.row_count.toLocaleString("en")} rows
              {state.result.version.rejected_count ? `, ${state.result.version.rejected_count} rejected` : ""}
              {state.result.version.duplicate_count
                ? `, ${state.result.version.duplicate_count} duplicates dropped`
                : ""}
              ; quality {state.result.version.quality_passes ? "within thresholds" : "outside thresholds"}.{" "}
            </>
          ) : (
            <>
              These exact bytes are already version {state.result.version.version} of “{state.result.dataset.name}”;
              nothing new was stored.{" "}
            </>
          )}
          <Link
            className="font-medium underline"
            href={`/datasets/${state.result.dataset.id}/versions/${state.result.version.version}`}
          >
            Open the version and its quality report
          </Link>
          <IgnoredColumns columns={state.result.version.columns} />
        </div>
      ) : null}
      {state.kind === "error" ? (
        <div className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" role="alert" data-testid="upload-error">
          <p className="font-medium">{state.problem.detail}</p>
          {state.problem.problem_groups && state.problem.problem_groups.length > 0 ? (
            <div className="mt-2 rounded-md bg-white">
              <DataTable
                columns={groupColumns}
                data={state.problem.problem_groups}
                empty="No problems."
                testId="problem-groups"
                label="Problems of the file, by kind"
              />
            </div>
          ) : state.problem.errors && state.problem.errors.length > 0 ? (
            <div className="mt-2 rounded-md bg-white">
              <DataTable
                columns={problemColumns}
                data={state.problem.errors.slice(0, 50)}
                empty="No problems."
                label="Problems of the file"
              />
            </div>
          ) : null}
          {!state.problem.problem_groups?.length &&
          state.problem.errors &&
          (state.problem.total_problems ?? state.problem.errors.length) > 50 ? (
            <p className="mt-1 text-xs">
              The first 50 of {state.problem.total_problems ?? state.problem.errors.length} problems are shown.
            </p>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

/**
 * Columns of the file that were not stored, said where the upload is answered: a signal in an
 * unknown column (a BMS export's "Total Facility Power (MW)") would otherwise be lost unnoticed,
 * and every KPI that needs it with it.
 */
function IgnoredColumns({ columns }: { columns: Uploaded["version"]["columns"] }) {
  const ignored = columns.filter((c) => c.column === null && c.header.trim() !== "");
  if (ignored.length === 0) return null;
  return (
    <p className="mt-2 rounded bg-amber-50 px-2 py-1 text-amber-900" data-testid="upload-ignored">
      {ignored.length === 1 ? "1 column was" : `${ignored.length} columns were`} not recognised and not stored:{" "}
      {ignored.map((c) => `“${c.header}”`).join(", ")}. Rename {ignored.length === 1 ? "it" : "them"} to a known column
      (see the version&rsquo;s column table) and upload again to keep {ignored.length === 1 ? "it" : "them"}.
    </p>
  );
}

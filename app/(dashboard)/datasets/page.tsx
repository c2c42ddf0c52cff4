import type { Metadata } from "next";
import Link from "next/link";
import { UploadForm } from "@/components/datasets/upload-form";
import { VersionsTable, type VersionRowView } from "@/components/datasets/versions-table";
import { Card, PageHeader } from "@/components/ui/card";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { listDatasets } from "@/lib/datasets/repo";
import { serializeVersion } from "@/lib/datasets/serialize";

export const metadata: Metadata = { title: "Datasets" };

const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "—");

export default async function DatasetsPage() {
  const principal = await requireRole("dataset.read");
  const datasets = await listDatasets(principal);
  return (
    <>
      <PageHeader
        title="Datasets"
        description="CSV uploads, each an immutable version identified by the SHA-256 of its bytes. Dashboards and M&V studies name the version they read, which is what makes their numbers reproducible."
      />
      {allowed(principal, "dataset.upload") ? (
        <Card
          title="Upload a CSV"
          className="mb-6"
          actions={
            <Link className="text-sm font-medium text-brand-700 underline" href="/datasets/import">
              Import a file step by step (semicolons, decimal commas, local time, column mapping)
            </Link>
          }
        >
          <UploadForm names={datasets.map((d) => d.name)} />
          <p className="mt-3 text-xs text-slate-500">
            Columns: <code>timestamp_utc</code>, <code>site_id</code>, optional <code>facility_id</code>,{" "}
            <code>cluster_id</code>, <code>zone_id</code>, <code>interval_seconds</code>, and signals such as{" "}
            <code>it_load_kw</code>, <code>facility_power_kw</code>, <code>outdoor_temp_c</code>,{" "}
            <code>chiller_kw</code>, <code>p95_rack_inlet_c</code>. Headers like “IT load (kW)” are understood; MW, W
            and °F are converted.
          </p>
        </Card>
      ) : null}
      {datasets.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-600">No datasets yet.</p>
        </Card>
      ) : (
        <div className="space-y-4" data-testid="datasets">
          {datasets.map((d) => {
            const rows: VersionRowView[] = d.versions.map(serializeVersion).map((v) => ({
              datasetId: d.id,
              version: v.version,
              createdAt: day(v.created_at),
              filename: v.filename,
              rows: v.row_count,
              rejected: v.rejected_count,
              duplicates: v.duplicate_count,
              range: `${day(v.time_start)} → ${day(v.time_end)}`,
              interval: v.interval_seconds,
              series: v.series.length,
              passes: v.quality_passes,
              sha256: v.sha256,
            }));
            return (
              <Card
                key={d.id}
                title={<span data-testid="dataset-name">{d.name}</span>}
                actions={<span className="text-xs text-slate-500">tenant {d.tenantId}</span>}
              >
                <VersionsTable rows={rows} testId="versions-table" />
              </Card>
            );
          })}
        </div>
      )}
    </>
  );
}

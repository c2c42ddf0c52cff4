import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CoverageCalendar } from "@/components/datasets/coverage-calendar";
import { importFacts } from "@/components/datasets/import-facts";
import { CoverageChart, MissingRatioChart, QualityTables } from "@/components/datasets/quality-report";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/tables/table";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/require-user";
import { dailyCoverage } from "@/lib/datasets/coverage";
import { getVersionOrThrow } from "@/lib/datasets/repo";
import { serializeVersionDetail } from "@/lib/datasets/serialize";
import { AppError } from "@/lib/http/app-error";
import { actorNamer } from "@/lib/users/actor-names";

export const metadata: Metadata = { title: "Dataset version" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function DatasetVersionPage({ params }: { params: Promise<{ id: string; version: string }> }) {
  const principal = await requireRole("dataset.read");
  const { id, version } = await params;
  const n = Number(version);
  if (!UUID.test(id) || !Number.isInteger(n) || n < 1 || n > 2_147_483_647) notFound();
  const row = await getVersionOrThrow(principal, id, n).catch((error: unknown) => {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  });
  const v = serializeVersionDetail(row);
  const [coverage, name] = await Promise.all([dailyCoverage(v.id), actorNamer(principal, [v.uploaded_by])]);
  const facts: [string, string][] = [
    ["Tenant", v.dataset.tenant_id],
    ["File", v.filename ?? "—"],
    ["Size", `${v.size_bytes.toLocaleString("en")} bytes`],
    ["Rows stored", v.row_count.toLocaleString("en")],
    ["Rows rejected", v.rejected_count.toLocaleString("en")],
    ["Duplicates dropped", v.duplicate_count.toLocaleString("en")],
    [
      "Time range (UTC)",
      `${v.time_start?.slice(0, 16).replace("T", " ") ?? "—"} → ${v.time_end?.slice(0, 16).replace("T", " ") ?? "—"}`,
    ],
    ["Interval", v.interval_seconds ? `${v.interval_seconds} s` : "—"],
    ["Bad rows", v.on_error === "strict" ? "refuse the file" : "skipped"],
    ...importFacts(v.import),
    ["Uploaded", `${v.created_at.slice(0, 19).replace("T", " ")} by ${name(v.uploaded_by)}`],
  ];
  return (
    <>
      <PageHeader
        title={`${v.dataset.name} · version ${v.version}`}
        description={
          <>
            Immutable: identified by the SHA-256 of its bytes,{" "}
            <code className="font-mono text-xs" data-testid="version-sha">
              {v.sha256}
            </code>
            .{" "}
            <Link className="text-brand-700 underline" href="/datasets">
              All datasets
            </Link>
            {" · "}
            <a className="text-brand-700 underline" href={`/api/v1/datasets/${v.dataset.id}/versions/${v.version}`}>
              JSON
            </a>
          </>
        }
        actions={
          v.quality.passes ? (
            <Badge tone="green">quality within thresholds</Badge>
          ) : (
            <Badge tone="red">quality outside thresholds</Badge>
          )
        }
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Version">
          <dl className="grid grid-cols-2 gap-x-3 gap-y-1.5 text-sm" data-testid="version-facts">
            {facts.map(([k, val]) => (
              <div key={k} className="contents">
                <dt className="text-slate-500">{k}</dt>
                <dd>{val}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card title="Columns" className="lg:col-span-2">
          <Table label="Columns of the file">
            <THead>
              <Th>CSV header</Th>
              <Th>Stored as</Th>
              <Th>Note</Th>
            </THead>
            <TBody>
              {v.columns.map((c) => (
                <Tr key={c.header}>
                  <Td className="font-mono text-xs">{c.header}</Td>
                  <Td>
                    {c.column ? (
                      <code className="text-xs">{c.column}</code>
                    ) : (
                      <span className="text-slate-400">ignored</span>
                    )}
                  </Td>
                  <Td className="text-xs text-slate-500">{c.note ?? ""}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
          {v.warnings.length > 0 ? (
            <ul className="mt-3 list-disc pl-5 text-xs text-amber-800" data-testid="version-warnings">
              {v.warnings.map((w, i) => (
                <li key={i}>
                  {w.column}: {w.message}
                </li>
              ))}
            </ul>
          ) : null}
        </Card>
      </div>
      <Card title="Quality report" className="mt-4">
        <p className="mb-3 text-sm text-slate-600">
          Thresholds: missing intervals at most {(v.quality.thresholds.max_missing_ratio * 100).toFixed(1)} % per
          series; a measured value unchanged for at most {Math.round(v.quality.thresholds.max_staleness_seconds / 60)}{" "}
          minutes.
        </p>
        <div className="grid gap-6 xl:grid-cols-2">
          <div>
            <h3 className="mb-1 text-sm font-semibold">Missing intervals per series</h3>
            <MissingRatioChart report={v.quality} />
          </div>
          <div>
            <h3 className="mb-1 text-sm font-semibold">Daily coverage</h3>
            <CoverageChart coverage={coverage} intervalSeconds={v.interval_seconds ?? 900} />
          </div>
        </div>
        <div className="mt-4">
          <h3 className="mb-1 text-sm font-semibold">Coverage calendar</h3>
          <CoverageCalendar
            coverage={coverage}
            intervalSeconds={v.interval_seconds ?? 900}
            firstDay={v.time_start?.slice(0, 10) ?? null}
            lastDay={v.time_end?.slice(0, 10) ?? null}
          />
        </div>
        <div className="mt-4">
          <QualityTables report={v.quality} />
        </div>
      </Card>
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { ImportWizard, type MappingTargetOption } from "@/components/datasets/import-wizard";
import { PageHeader } from "@/components/ui/card";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { SIGNALS, type SignalColumn } from "@/lib/datasets/columns";
import { listDatasets } from "@/lib/datasets/repo";

export const metadata: Metadata = { title: "Import a file" };

// The units a file may give a signal in, the stored one first (converted on load: lib/datasets/columns.ts).
const UNITS: Partial<Record<SignalColumn["unit"], string[]>> = {
  kw: ["kW", "W", "MW"],
  c: ["°C", "°F"],
  pct: ["%"],
};

const TARGETS: MappingTargetOption[] = [
  { value: "timestamp", label: "timestamp", units: [] },
  { value: "site_id", label: "site_id", units: [] },
  { value: "facility_id", label: "facility_id", units: [] },
  { value: "cluster_id", label: "cluster_id", units: [] },
  { value: "zone_id", label: "zone_id", units: [] },
  { value: "interval_seconds", label: "interval_seconds", units: [] },
  ...SIGNALS.map((s) => ({ value: s.name, label: s.name, units: UNITS[s.unit] ?? [] })),
];

export default async function ImportPage() {
  const principal = await requireRole("dataset.upload");
  const datasets = await listDatasets(principal);
  const zones = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
  return (
    <>
      <PageHeader
        title="Import a file"
        description={
          <>
            For exports as they come: semicolons and decimal commas, day-first dates, local time with its daylight
            saving changes, columns named in any language. Nothing is stored until the last step.{" "}
            <Link className="underline" href="/datasets">
              Back to the datasets
            </Link>
          </>
        }
      />
      <ImportWizard
        names={datasets.map((d) => d.name)}
        targets={TARGETS}
        zones={zones}
        canAsk={allowed(principal, "mass.ingest")}
      />
    </>
  );
}

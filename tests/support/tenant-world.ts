// A tenant holding one of every resource that has an id in a URL, made over real HTTP the way its
// own users would: a dataset version (the demo's mad1 window under another site id), an enterprise
// MASS request with the worker's recommendation, that recommendation implemented (which creates
// and runs a verification study: a study, a revision and a report), its users and an API token.
import { expect } from "vitest";
import { demoMassRequestBody } from "@/lib/demo/request";
import { demoWindowCsv } from "./demo-window";
import { apiTokenWithRole, baseUrl, call, freshIp, userWithRole } from "./http";

export type TenantWorld = {
  tenant: string;
  site: string;
  datasetName: string;
  analyst: { id: string; email: string; token: string };
  viewer: { id: string; email: string; token: string };
  /** An admin API token limited to this tenant. */
  admin: { id: string; secret: string };
  datasetId: string;
  versionId: string;
  version: number;
  massId: string;
  recommendationId: string;
  studyId: string;
  reportId: string;
  /** Text that identifies this tenant's data: no other tenant's answer may contain any of it. */
  markers: string[];
};

const WINDOW = { from: "2026-05-01T00:00:00Z", to: "2026-07-01T00:00:00Z" };

/** `rename` replaces more of the demo's names (cluster `c01`, zone `hall-a`) in both the rows and the request. */
export async function seedTenant(
  tenant: string,
  site: string,
  names: { dataset?: string; rename?: Record<string, string> } = {},
): Promise<TenantWorld> {
  const renames: [string, string][] = [["mad1", site], ...Object.entries(names.rename ?? {})];
  const rename = (text: string) => renames.reduce((t, [from, to]) => t.replaceAll(from, to), text);
  const [analyst, viewer, admin] = await Promise.all([
    userWithRole("analyst", [tenant]),
    userWithRole("viewer", [tenant]),
    apiTokenWithRole("admin", [tenant]),
  ]);
  const datasetName = names.dataset ?? `${tenant} telemetry`;

  const { csv } = demoWindowCsv(["mad1"], WINDOW.from, WINDOW.to);
  const upload = await fetch(
    `${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name: datasetName, tenant_id: tenant })}`,
    {
      method: "POST",
      headers: { Authorization: `Bearer ${analyst.token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
      body: rename(csv),
    },
  );
  expect(upload.status, await upload.clone().text()).toBe(201);
  const uploaded = (await upload.json()) as { dataset: { id: string }; version: { id: string; version: number } };

  const body = JSON.parse(rename(JSON.stringify(demoMassRequestBody(tenant)))) as object;
  const ingest = await call("/api/v1/mass/generate", { token: analyst.token, body });
  expect(ingest.status, await ingest.clone().text()).toBe(201);
  const massId = ((await ingest.json()) as { id: string }).id;
  const recommendationId = await waitForRecommendation(analyst.token, massId);

  const implemented = await call(`/api/v1/recommendations/${recommendationId}/implementation`, {
    token: analyst.token,
    body: {
      outcome: "implemented",
      effective_at: "2026-06-01T00:00:00Z",
      applied_value: 24,
      note: `${tenant} raised the setpoint`,
    },
  });
  expect(implemented.status, await implemented.clone().text()).toBe(201);
  const { verification } = (await implemented.json()) as {
    verification: { study_id: string; latest_report_id: string | null };
  };
  expect(verification.latest_report_id).toBeTruthy();

  const world = {
    tenant,
    site,
    datasetName,
    analyst,
    viewer,
    admin,
    datasetId: uploaded.dataset.id,
    versionId: uploaded.version.id,
    version: uploaded.version.version,
    massId,
    recommendationId,
    studyId: verification.study_id,
    reportId: verification.latest_report_id!,
  };
  return {
    ...world,
    markers: [
      tenant,
      site,
      datasetName,
      world.datasetId,
      world.versionId,
      massId,
      recommendationId,
      world.studyId,
      world.reportId,
      analyst.id,
      viewer.id,
      admin.id,
      analyst.email,
      viewer.email,
    ],
  };
}

async function waitForRecommendation(token: string, massId: string): Promise<string> {
  for (let i = 0; i < 120; i++) {
    const list = await call(`/api/v1/recommendations?mass_request_id=${massId}`, { token });
    const items = ((await list.json()) as { items: { id: string; category: string }[] }).items;
    const rec = items.find((r) => r.category === "cooling_setpoint");
    if (rec) return rec.id;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no cooling-setpoint recommendation for MASS request ${massId}`);
}

/** The markers of `world` found in `text`, leaving out those the request itself carried (an echoed filter is no leak). */
export function leakedMarkers(world: TenantWorld, text: string, request = ""): string[] {
  return world.markers.filter((m) => !request.includes(m) && text.includes(m));
}

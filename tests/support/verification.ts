// Setting up a verification over real HTTP: the demo's rows for a window, the demo's MASS request
// (the same body the first-start demo uses) answered by the worker, and its recommendation.
import { expect } from "vitest";
import { demoMassRequestBody } from "@/lib/demo/request";
import { demoWindowCsv } from "./demo-window";
import { baseUrl, call, freshIp } from "./http";

export type Rec = {
  id: string;
  category: string;
  site_id: string;
  cluster_id: string | null;
  actionable: boolean;
  energy_kwh_24h: number;
  expected_impact: { facility_power_kw_delta: number };
};

export async function uploadDemoWindow(token: string, tenant: string, from: string, to: string): Promise<string> {
  const { csv } = demoWindowCsv(["mad1"], from, to);
  const res = await fetch(
    `${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name: `demo mad1 ${from.slice(0, 10)}`, tenant_id: tenant })}`,
    {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
      body: csv,
    },
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { version: { id: string } }).version.id;
}

/** Ingests the demo request (with a distinct id when `suffix` is given) and waits for the worker's cooling-setpoint recommendation. */
export async function demoRecommendation(token: string, tenant: string, suffix = ""): Promise<Rec> {
  const body = demoMassRequestBody(tenant) as { request: { request_id: string; idempotency_key: string } };
  body.request.request_id += suffix;
  body.request.idempotency_key += suffix;
  const res = await call("/api/v1/mass/generate", { token, body });
  expect(res.status).toBe(201);
  const massId = ((await res.json()) as { id: string }).id;
  for (let i = 0; i < 120; i++) {
    const list = await call(`/api/v1/recommendations?mass_request_id=${massId}`, { token });
    const items = ((await list.json()) as { items: Rec[] }).items;
    const rec = items.find((r) => r.category === "cooling_setpoint");
    if (rec) return rec;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the worker gave no cooling-setpoint recommendation");
}

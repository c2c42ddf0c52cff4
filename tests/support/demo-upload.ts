// A stretch of the demo data uploaded as a dataset of its own tenant, through the API (the pages'
// tests read it back in Chromium).
import { DEFAULT_DEMO, demoCsvLines } from "@/lib/demo/data";
import { baseUrl, freshIp } from "./http";

export type DemoUpload = { dataset: { id: string }; version: { id: string } };

/** Uploads `days` of the demo from `start` as dataset `name` of `tenant`, with `token` (analyst or admin). */
export async function uploadDemoDays(o: {
  name: string;
  tenant: string;
  token: string;
  start: string;
  days: number;
}): Promise<DemoUpload> {
  const csv = [...demoCsvLines({ ...DEFAULT_DEMO, start: new Date(o.start), days: o.days })]
    .map((l) => `${l}\n`)
    .join("");
  const res = await fetch(`${baseUrl()}/api/v1/datasets?name=${encodeURIComponent(o.name)}&tenant_id=${o.tenant}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${o.token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
    body: csv,
  });
  if (res.status !== 201) throw new Error(`demo upload answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as DemoUpload;
}

import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { adminToken, call } from "../support/http";

describe("audit exports", () => {
  it("exports the filtered events as CSV with formula-safe cells, and audits the export", async () => {
    const token = await adminToken();
    await call("/api/v1/auth/token", {
      body: { email: '=HYPERLINK("http://x")@pilot.test', password: "wrong-password" },
    });
    const res = await call("/api/v1/audit/export.csv?action=auth.login_failed", { token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-trail-[\d-]+\.csv"/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = (await res.text()).replace(/^\uFEFF/, "");
    const rows = Papa.parse<Record<string, string>>(text.trim(), { header: true }).data;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.action === "auth.login_failed")).toBe(true);
    const injected = rows.find((r) => r.actor_label?.includes("hyperlink"));
    expect(injected?.actor_label?.startsWith("'=")).toBe(true);
    expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);

    const audit = (await (await call("/api/v1/audit?action=audit.export&limit=1", { token })).json()) as {
      items: { inputs: { format: string; filter: string }; outputs: { rows: number } }[];
    };
    expect(audit.items[0]?.inputs).toEqual({ format: "csv", filter: "action=auth.login_failed" });
    expect(audit.items[0]?.outputs.rows).toBe(rows.length);
  });

  it("exports a PDF", async () => {
    const res = await call("/api/v1/audit/export.pdf?result=denied", { token: await adminToken() });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(bytes.toString("latin1").trimEnd().endsWith("%%EOF")).toBe(true);
  });

  it("answers a bad filter with 422 naming the parameter", async () => {
    const res = await call("/api/v1/audit/export.csv?from=not-a-date", { token: await adminToken() });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { pointer: string }[] };
    expect(body.errors[0]?.pointer).toBe("/from");
  });
});

// GET /api/v1/mv/reports/{id} – a report: specification, results and reproducibility hashes
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { getReportOrThrow } from "@/lib/mv/reports";

export const GET = withApi<{ id: string }>("mv.read", async ({ principal, params }) =>
  Response.json(await getReportOrThrow(principal, uuidParam(params.id, "M&V report"))),
);

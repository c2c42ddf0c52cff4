// GET /api/ready – readiness: 200 when the database answers, 503 problem+json otherwise.
import { pingDatabase } from "@/lib/db/ping";
import { AppError } from "@/lib/http/app-error";
import { problemResponse } from "@/lib/http/problem";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  if (await pingDatabase()) {
    return Response.json({ status: "ready", database: "ok" }, { headers: { "Cache-Control": "no-store" } });
  }
  return problemResponse(
    new AppError("unavailable", "The database is not reachable", { headers: { "Retry-After": "5" } }),
  );
}

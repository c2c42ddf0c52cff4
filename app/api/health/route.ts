// GET /api/health – liveness: the process answers. Never touches the database.
import { APP_VERSION, GIT_COMMIT } from "@/lib/version";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json(
    { status: "ok", version: APP_VERSION, commit: GIT_COMMIT },
    { headers: { "Cache-Control": "no-store" } },
  );
}

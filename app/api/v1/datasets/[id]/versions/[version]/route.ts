// GET /api/v1/datasets/{id}/versions/{version} – one version with its quality report
import { getVersionOrThrow } from "@/lib/datasets/repo";
import { serializeVersionDetail } from "@/lib/datasets/serialize";
import { AppError } from "@/lib/http/app-error";
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";

export const GET = withApi<{ id: string; version: string }>("dataset.read", async ({ principal, params }) => {
  const version = Number(params.version);
  if (!Number.isInteger(version) || version < 1 || version > 2_147_483_647)
    throw new AppError("not_found", "No such dataset version");
  return Response.json(
    serializeVersionDetail(await getVersionOrThrow(principal, uuidParam(params.id, "dataset"), version)),
  );
});

// GET /api/v1/datasets/{id} – one dataset with its versions, newest first
import { getDatasetOrThrow } from "@/lib/datasets/repo";
import { serializeDataset } from "@/lib/datasets/serialize";
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";

export const GET = withApi<{ id: string }>("dataset.read", async ({ principal, params }) =>
  Response.json(serializeDataset(await getDatasetOrThrow(principal, uuidParam(params.id, "dataset")))),
);

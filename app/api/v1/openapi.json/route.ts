// GET /api/v1/openapi.json – the OpenAPI 3.1 document, generated from the routes' zod schemas
import { withApi } from "@/lib/handlers/with-api";
import { openApiDocument } from "@/lib/openapi/document";

export const GET = withApi("dashboard.read", async () => Response.json(openApiDocument()));

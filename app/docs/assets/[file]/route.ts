// GET /docs/assets/{file} – Swagger UI's script, served from the installed package
// (no CDN: the docs page works offline and under the page CSP). Signed-in users only (proxy.ts).
import { readFile } from "node:fs/promises";
import { join } from "node:path";

const FILES: Record<string, string> = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }): Promise<Response> {
  const { file } = await params;
  const type = FILES[file];
  if (!type) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  const body = await readFile(join(process.cwd(), "node_modules", "swagger-ui-dist", file));
  return new Response(new Uint8Array(body), {
    headers: { "Content-Type": type, "Cache-Control": "private, max-age=86400" },
  });
}

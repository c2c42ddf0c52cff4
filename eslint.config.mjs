import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import security from "eslint-plugin-security";
import { readdirSync } from "node:fs";

// Server code: everything that runs in Node with requests, files or the database at hand.
const SERVER = ["lib/**", "app/api/**", "scripts/**"];

// The layers (docs/ARCHITECTURE.md), enforced. Foundations — settings, the database clients,
// logs/metrics/traces, the loop helper — import nothing above them; nothing in lib/ imports the
// edges (pages, components, routes, scripts) or the API wrapper only routes use; a lib/ file
// reaches another folder of lib/ by its "@/lib/…" name, so these patterns see every such import.
const FOUNDATIONS = [
  "lib/env.ts",
  "lib/version.ts",
  "lib/secret-keys.ts",
  "lib/net/**",
  "lib/background/**",
  "lib/db.ts",
  "lib/db/**",
  "lib/observability/**",
];
const LAYERS_DOC = 'docs/ARCHITECTURE.md, "The layers"';
const EDGE_IMPORTS = {
  regex: "^@/(app|components|scripts|tests)/|^@/(instrumentation|proxy)$",
  message: `lib/ is below the edges (pages, components, routes, scripts): ${LAYERS_DOC}`,
};
const WRAPPER_IMPORTS = {
  regex: "^@/lib/handlers/|^@/lib/http/(route-methods\\.generated|route-scan)$",
  message: `only routes and server actions (app/) use the wrappers and the route table: ${LAYERS_DOC}`,
};
const RELATIVE_ACROSS = {
  regex: "^\\.\\./\\.\\./",
  message: "reach another folder of lib/ by its @/lib/… name (the layer rules match on it)",
};
// Database code (docs/ARCHITECTURE.md, "Data access"): the clients, the pools, `pg` itself and the
// Prisma namespace (its SQL tag and transaction types) only in a domain's repo.ts, repo/*.ts or
// queries/*.ts; everything else calls the functions those export. Model types and enums are data
// shapes, not database access, and stay importable.
const DATA_ACCESS_DOC = 'docs/ARCHITECTURE.md, "Data access"';
const DATABASE_IMPORTS = {
  regex: "^(@/lib/db(/pg-pool)?|pg|pg-copy-streams)$",
  message: `database code lives in a domain's repo.ts, repo/*.ts or queries/*.ts: call a function it exports (${DATA_ACCESS_DOC})`,
};
const PRISMA_NAMESPACE = {
  regex: "^@/lib/generated/prisma/client$",
  importNames: ["Prisma", "PrismaClient"],
  message: `the Prisma namespace (SQL, transactions) belongs to a repo.ts, repo/*.ts or queries/*.ts (${DATA_ACCESS_DOC})`,
};
const ABOVE_FOUNDATIONS = {
  regex: "^@/lib/(?!(env|version|secret-keys|db)$|(net|background|db|observability|generated)/)",
  message: `foundations (settings, database, observability, loops) import no domain and no HTTP plumbing: pass what they need in, or move the code up (${LAYERS_DOC})`,
};

// The domains and the plumbing between the foundations and the edges, lowest first. A folder imports
// foundations and folders of LOWER tiers only: never a folder of its own tier, never one above
// (docs/ARCHITECTURE.md, "The layers"). Every folder and top-level file of lib/ must have a place
// here or among the foundations, or the lint refuses to start.
const TIERS = [
  ["format.ts", "seeded-random.ts"], // pure helpers: numbers, instants, seeded streams
  ["http"], // errors, problem+json, bodies, query values, rate limits, request context
  ["access"], // who may do what: principal, permissions, tenant scope, password and secret rules
  ["export", "rollups"], // CSV/PDF writers; the hourly and daily rollups
  ["audit"], // the tamper-evident trail every operation writes to
  ["observations", "users", "views"], // partitions and retention; user accounts; users' saved views
  ["api-tokens"],
  ["auth"], // sign-in: credentials, sessions, resolving a request's principal
  ["datasets"],
  ["mass"],
  ["biocore"],
  ["kpi"],
  ["mv"],
  ["verification"],
  ["demo", "openapi", "handlers"], // the demo year, the API document, the route/action wrappers
];
const FOUNDATION_NAMES = [
  "env.ts",
  "version.ts",
  "secret-keys.ts",
  "net",
  "background",
  "db.ts",
  "db",
  "observability",
];
const IGNORED_NAMES = ["generated", "env.test.ts", "format.test.ts"];
{
  const placed = new Set([...TIERS.flat(), ...FOUNDATION_NAMES, ...IGNORED_NAMES]);
  const unplaced = readdirSync("lib").filter((name) => !placed.has(name) && !name.endsWith(".test.ts"));
  if (unplaced.length > 0)
    throw new Error(`eslint.config.mjs: give lib/${unplaced.join(", lib/")} a tier in TIERS (or FOUNDATION_NAMES)`);
}
const moduleName = (name) => name.replace(/\.tsx?$/, "");
const escape = (name) => name.replace(/\./g, "\\.");

/** Per folder of TIERS: the layer rules, the tier rule, and (outside data-access files) the data-access rule. */
function domainLayerConfigs() {
  return TIERS.flatMap((tier, t) =>
    tier.flatMap((name) => {
      const notBelow = TIERS.slice(t)
        .flat()
        .filter((other) => other !== name)
        .map((other) => escape(moduleName(other)));
      const tierRule = {
        regex: `^@/lib/(${notBelow.join("|")})(/|$)`,
        message: `lib/${moduleName(name)} imports foundations and lower tiers only (TIERS in eslint.config.mjs; ${LAYERS_DOC})`,
      };
      const own = name.endsWith(".ts") ? [`lib/${name}`] : [`lib/${name}/**`];
      const ownDataAccess = name.endsWith(".ts")
        ? []
        : [`lib/${name}/**/repo.ts`, `lib/${name}/**/repo/**`, `lib/${name}/**/queries/**`];
      const layer = [EDGE_IMPORTS, RELATIVE_ACROSS, ...(name === "handlers" ? [] : [WRAPPER_IMPORTS])];
      if (notBelow.length > 0) layer.push(tierRule);
      return [
        {
          files: own,
          ignores: ["**/*.test.ts", ...ownDataAccess],
          rules: { "no-restricted-imports": ["error", { patterns: [...layer, DATABASE_IMPORTS, PRISMA_NAMESPACE] }] },
        },
        ...(ownDataAccess.length > 0
          ? [
              {
                // Data access: the same layer rules, and the database at hand.
                files: ownDataAccess,
                ignores: ["**/*.test.ts"],
                rules: { "no-restricted-imports": ["error", { patterns: layer }] },
              },
            ]
          : []),
      ];
    }),
  );
}

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "lib/generated/**",
    ".data/**",
    "sbom/**",
    "next-env.d.ts",
    "coverage/**",
  ]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    files: ["scripts/**", "tests/**"],
    rules: { "no-console": "off" },
  },
  // eslint-plugin-security's recommended rules, as errors (a warning nobody reads is no gate), on
  // the server code; tests are not shipped and build paths and regexes from fixtures on purpose.
  {
    files: SERVER,
    ignores: ["**/*.test.ts"],
    plugins: { security },
    rules: {
      ...Object.fromEntries(Object.keys(security.configs.recommended.rules).map((rule) => [rule, "error"])),
      // Flags every `object[key]` (200+ here, all with keys typed by TypeScript or checked by zod);
      // a rule that cries wolf that often teaches people to disable it line by line. Prototype
      // pollution is handled where input is parsed: zod objects strip unknown keys.
      "security/detect-object-injection": "off",
    },
  },
  {
    files: FOUNDATIONS,
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [ABOVE_FOUNDATIONS, EDGE_IMPORTS, WRAPPER_IMPORTS, RELATIVE_ACROSS] },
      ],
    },
  },
  ...domainLayerConfigs(),
  {
    // The edges reach the database through the domains, never directly.
    files: [
      "app/**",
      "proxy.ts",
      "instrumentation.ts",
      "scripts/serve.ts",
      "scripts/worker.ts",
      "scripts/direct-routes.ts",
    ],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [DATABASE_IMPORTS, PRISMA_NAMESPACE] }] },
  },
  {
    // Components sit below the pages: a page hands a client component its server action as a prop.
    files: ["components/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            DATABASE_IMPORTS,
            PRISMA_NAMESPACE,
            {
              regex: "^@/app/",
              message: `components/ is below app/: take a server action as a prop from the page (${LAYERS_DOC})`,
            },
          ],
        },
      ],
    },
  },
  {
    // Every setting through lib/env.ts (one schema: names, types, defaults, production checks).
    // lib/version.ts is the exception: next.config.ts inlines its values at build time.
    files: [
      "lib/**",
      "app/**",
      "components/**",
      "proxy.ts",
      "instrumentation.ts",
      "scripts/serve.ts",
      "scripts/worker.ts",
      "scripts/direct-routes.ts",
    ],
    ignores: ["**/*.test.ts", "lib/env.ts", "lib/version.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          // Reading `process.env.NAME`; setting a child's or this process's environment (assignment,
          // delete, passing the whole object on) is not a read. NODE_ENV, NEXT_RUNTIME and NEXT_PHASE
          // are the framework's own, inlined by its compiler.
          selector:
            "MemberExpression[object.type='MemberExpression'][object.object.name='process'][object.property.name='env']:not([property.name=/^(NODE_ENV|NEXT_RUNTIME|NEXT_PHASE)$/]):not(AssignmentExpression > MemberExpression.left):not(UnaryExpression[operator='delete'] > MemberExpression)",
          message:
            "Read settings through lib/env.ts (env() or setting()): one schema names, types and defaults every setting.",
        },
      ],
    },
  },
  // Each exemption below names the files and why; a new finding elsewhere still fails the lint.
  {
    // Operator CLIs: they read and write paths their operator passes or the repository defines.
    // Database tooling likewise: the migrations folder, schema.prisma and the embedded server's
    // data directory (.data/pg) are configuration, never request input. PDF fonts: a fixed path
    // under node_modules.
    files: ["scripts/**", "lib/db/**", "lib/export/pdf-fonts.ts"],
    rules: { "security/detect-non-literal-fs-filename": "off" },
  },
  {
    // The audit anchor file is AUDIT_ANCHOR_FILE, an operator's setting; the route scanner reads
    // the app/ tree of this repository at build time. Neither path comes from a request.
    files: ["lib/audit/anchor.ts", "lib/http/route-scan.ts"],
    rules: { "security/detect-non-literal-fs-filename": "off" },
  },
  {
    // Owned by other changes (not edited here). read-body.ts: `^application\/(.+\+)?json\b` runs
    // once over a Content-Type header (bounded by Node's header limit), linear: one quantified
    // group. query-values.ts: `T\d\d:\d\d(:\d\d(\.\d+)?)?$` on a query value, unambiguous.
    files: ["lib/http/read-body.ts", "lib/http/query-values.ts"],
    rules: { "security/detect-unsafe-regex": "off" },
  },
  {
    // The audit chain compares hashes it recomputes from rows the caller can already read: no
    // secret is guessed through the comparison, so its timing reveals nothing.
    files: ["lib/audit/**"],
    rules: { "security/detect-possible-timing-attacks": "off" },
  },
]);

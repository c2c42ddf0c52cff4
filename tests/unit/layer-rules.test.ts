// The layer rules of eslint.config.mjs (docs/ARCHITECTURE.md, "The layers"), shown to fail: each
// forbidden import in a file of its layer is an error that names the rule's reason, and the
// imports the layers allow are not.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, source: string, rule = "no-restricted-imports"): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe("layer rules", () => {
  it("keep foundations from importing a domain or the HTTP plumbing", async () => {
    expect(
      await restricted(
        "lib/observability/probe.ts",
        'import { queueStats } from "@/lib/biocore/jobs";\nexport const x = queueStats;\n',
      ),
    ).toEqual([expect.stringMatching(/foundations .* import no domain/)]);
    expect(
      await restricted(
        "lib/db/probe.ts",
        'import { routeTemplate } from "@/lib/http/method-gate";\nexport const x = routeTemplate;\n',
      ),
    ).toHaveLength(1);
    expect(
      await restricted(
        "lib/env.ts",
        'import type { Principal } from "@/lib/access/principal";\nexport type X = Principal;\n',
      ),
    ).toHaveLength(1);
    // Foundations among themselves, and the generated Prisma client, are fine.
    expect(
      await restricted(
        "lib/observability/probe.ts",
        'import { db } from "@/lib/db";\nimport { env } from "@/lib/env";\nimport type { Role } from "@/lib/generated/prisma/enums";\nexport const x = [db, env] as unknown as Role;\n',
      ),
    ).toEqual([]);
  }, 60_000);

  it("keep lib/ below the edges and the API wrapper", async () => {
    expect(
      await restricted(
        "lib/kpi/probe.ts",
        'import { withApi } from "@/lib/handlers/with-api";\nexport const x = withApi;\n',
      ),
    ).toContainEqual(expect.stringMatching(/only routes/));
    expect(
      await restricted("lib/mass/probe.ts", 'import { GET } from "@/app/api/health/route";\nexport const x = GET;\n'),
    ).toEqual([expect.stringMatching(/below the edges/)]);
    expect(
      await restricted("lib/biocore/probe.ts", 'import { x } from "../../kpi/scope";\nexport const y = x;\n'),
    ).toEqual([expect.stringMatching(/@\/lib\/… name/)]);
    // A domain using the plumbing below it, and a route using the wrapper, are fine.
    expect(
      await restricted(
        "lib/kpi/queries/probe.ts",
        'import { AppError } from "@/lib/http/app-error";\nimport { db } from "@/lib/db";\nexport const x = [AppError, db];\n',
      ),
    ).toEqual([]);
    expect(
      await restricted(
        "app/api/v1/probe/route.ts",
        'import { withApi } from "@/lib/handlers/with-api";\nexport const x = withApi;\n',
      ),
    ).toEqual([]);
  }, 60_000);

  it("read every setting through lib/env.ts", async () => {
    const settingRead = (filePath: string, source: string) => restricted(filePath, source, "no-restricted-syntax");
    expect(await settingRead("lib/kpi/probe.ts", "export const x = process.env.KPI_LIMIT;\n")).toEqual([
      expect.stringMatching(/through lib\/env\.ts/),
    ]);
    expect(await settingRead("app/api/v1/probe/route.ts", 'export const x = process.env["KPI_LIMIT"];\n')).toHaveLength(
      1,
    );
    expect(
      await settingRead("scripts/serve.ts", "export const port = Number(process.env.PORT ?? 3000);\n"),
    ).toHaveLength(1);
    // The schema itself, the framework's own variables, and setting a child's environment are fine.
    expect(await settingRead("lib/env.ts", "export const x = process.env.KPI_LIMIT;\n")).toEqual([]);
    expect(
      await settingRead("lib/kpi/probe.ts", 'export const dev = process.env.NODE_ENV === "development";\n'),
    ).toEqual([]);
    expect(
      await settingRead(
        "scripts/worker.ts",
        'process.env.DATABASE_POOL_MAX = "2";\ndelete process.env.DATABASE_MIGRATION_URL;\nexport const child = { ...process.env };\n',
      ),
    ).toEqual([]);
  }, 60_000);

  it("keep database code in repo.ts, repo/*.ts and queries/*.ts", async () => {
    const dataAccess = /database code lives in a domain's repo\.ts/;
    // A domain file, a page, a component and the server reaching the database directly.
    expect(await restricted("lib/kpi/probe.ts", 'import { db } from "@/lib/db";\nexport const x = db;\n')).toEqual([
      expect.stringMatching(dataAccess),
    ]);
    expect(
      await restricted("lib/mass/probe.ts", 'import type { PgTx } from "@/lib/db";\nexport type X = PgTx;\n'),
    ).toEqual([expect.stringMatching(dataAccess)]);
    expect(
      await restricted(
        "lib/biocore/probe.ts",
        'import { pgPool } from "@/lib/db/pg-pool";\nexport const x = pgPool;\n',
      ),
    ).toHaveLength(1);
    expect(await restricted("lib/export/probe.ts", 'import pg from "pg";\nexport const x = pg;\n')).toHaveLength(1);
    expect(
      await restricted("app/(dashboard)/probe/page.tsx", 'import { db } from "@/lib/db";\nexport const x = db;\n'),
    ).toHaveLength(1);
    expect(
      await restricted("components/probe/table.tsx", 'import { db } from "@/lib/db";\nexport const x = db;\n'),
    ).toHaveLength(1);
    expect(await restricted("scripts/serve.ts", 'import { db } from "@/lib/db";\nexport const x = db;\n')).toHaveLength(
      1,
    );
    // The Prisma namespace (its SQL tag, its transaction types), even as a type.
    expect(
      await restricted(
        "lib/mv/probe.ts",
        'import { Prisma } from "@/lib/generated/prisma/client";\nexport const x = Prisma.sql`select 1`;\n',
      ),
    ).toEqual([expect.stringMatching(/Prisma namespace/)]);
    expect(
      await restricted(
        "lib/audit/probe.ts",
        'import type { Prisma } from "@/lib/generated/prisma/client";\nexport type X = Prisma.TransactionClient;\n',
      ),
    ).toHaveLength(1);
    // Data-access files, foundations, and model types or enums anywhere, are fine.
    for (const filePath of ["lib/kpi/queries/probe.ts", "lib/mass/repo.ts", "lib/biocore/repo/jobs.ts"]) {
      expect(
        await restricted(
          filePath,
          'import { db, type PgTx } from "@/lib/db";\nimport { Prisma } from "@/lib/generated/prisma/client";\nimport pg from "pg";\nexport const x = [db, Prisma, pg] as unknown as PgTx;\n',
        ),
      ).toEqual([]);
    }
    expect(await restricted("lib/db/probe.ts", 'import pg from "pg";\nexport const x = pg;\n')).toEqual([]);
    expect(
      await restricted(
        "lib/mass/probe.ts",
        'import type { MassRequest } from "@/lib/generated/prisma/client";\nimport type { Role } from "@/lib/generated/prisma/enums";\nexport type X = [MassRequest, Role];\n',
      ),
    ).toEqual([]);
  }, 60_000);

  it("keep each folder of lib/ above the tiers it imports", async () => {
    const tier = /imports foundations and lower tiers only/;
    // Upwards: the audit trail into sign-in, the HTTP plumbing into the access model or a wrapper,
    // users into sign-in, ingestion into BioCore, a domain into the API document.
    expect(
      await restricted("lib/audit/probe.ts", 'import { signIn } from "@/lib/auth/login";\nexport const x = signIn;\n'),
    ).toEqual([expect.stringMatching(tier)]);
    expect(
      await restricted(
        "lib/http/probe.ts",
        'import type { Principal } from "@/lib/access/principal";\nexport type X = Principal;\n',
      ),
    ).toEqual([expect.stringMatching(tier)]);
    expect(
      await restricted("lib/users/probe.ts", 'import { x } from "@/lib/auth/sessions";\nexport const y = x;\n'),
    ).toEqual([expect.stringMatching(tier)]);
    expect(
      await restricted("lib/mass/probe.ts", 'import { x } from "@/lib/biocore/jobs";\nexport const y = x;\n'),
    ).toEqual([expect.stringMatching(tier)]);
    expect(
      await restricted(
        "lib/kpi/queries/probe.ts",
        'import { x } from "@/lib/openapi/document";\nexport const y = x;\n',
      ),
    ).toEqual([expect.stringMatching(tier)]);
    // Sideways, within one tier.
    expect(
      await restricted("lib/rollups/probe.ts", 'import { x } from "@/lib/export/csv";\nexport const y = x;\n'),
    ).toEqual([expect.stringMatching(tier)]);
    expect(
      await restricted("lib/format.ts", 'import { x } from "@/lib/seeded-random";\nexport const y = x;\n'),
    ).toEqual([expect.stringMatching(tier)]);
    // Downwards, within a folder, and to foundations: fine.
    expect(
      await restricted(
        "lib/mv/probe.ts",
        'import { x } from "@/lib/kpi/scope";\nimport { y } from "@/lib/audit/record-audit";\nimport { z } from "./compute";\nimport { env } from "@/lib/env";\nexport const w = [x, y, z, env];\n',
      ),
    ).toEqual([]);
    expect(
      await restricted(
        "lib/handlers/probe.ts",
        'import { x } from "@/lib/auth/resolve-principal";\nimport { y } from "@/lib/http/problem";\nexport const z = [x, y];\n',
      ),
    ).toEqual([]);
  }, 60_000);

  it("keep components below the pages", async () => {
    expect(
      await restricted(
        "components/mv/probe.tsx",
        'import { runStudyAction } from "@/app/(dashboard)/mv/actions";\nexport const x = runStudyAction;\n',
      ),
    ).toEqual([expect.stringMatching(/take a server action as a prop/)]);
    expect(
      await restricted(
        "app/(dashboard)/mv/probe/page.tsx",
        'import { runStudyAction } from "../../actions";\nimport { RunStudyButton } from "@/components/mv/run-button";\nexport const x = [runStudyAction, RunStudyButton];\n',
      ),
    ).toEqual([]);
  }, 60_000);
});

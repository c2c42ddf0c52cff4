// Prisma's own WebAssembly schema engine, driven directly: it works offline and where the native
// engine cannot be downloaded. It relies on a package Prisma marks internal, pinned in
// package.json and covered by migrate.test.ts.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";

const require = createRequire(import.meta.url);

type Bindings = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

let bindings: Promise<Bindings> | null = null;

function loadBindings(): Promise<Bindings> {
  bindings ??= (async () => {
    const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Bindings & {
      __wbg_set_wasm: (exports: WebAssembly.Exports) => void;
    };
    // The wasm file is not in the package's exports: find it beside the exported JS.
    const wasmPath = join(dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
      "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return bindings;
}

export type EngineHandle = { engine: SchemaEngine; close: () => Promise<void> };

/** An engine for the schema at `schemaPath`, connected to `databaseUrl` (a placeholder when only diffing files). */
export async function openEngine(schemaPath: string, databaseUrl: string, log: (line: string) => void): Promise<EngineHandle> {
  const bg = await loadBindings();
  const adapter = withShadowDatabases(wholeScripts(new PrismaPg({ connectionString: databaseUrl })), databaseUrl);
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, readFileSync(schemaPath, "utf8")]] },
    (message: string) => log(message),
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
  return {
    engine,
    close: async () => {
      engine.free();
    },
  };
}

type ScriptAdapter = {
  executeScript: (script: string) => Promise<void>;
  underlyingDriver: () => { query: (sql: string) => Promise<unknown> };
  onError?: (error: unknown) => never;
  performIO: (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }>;
};

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * Two fixes to adapter-pg for the schema engine's use. First, adapter-pg runs a migration script by splitting it on ";" and sending each piece on its own:
 * that breaks dollar-quoted function bodies and leaves a half-applied migration when a statement
 * fails. Send the script whole instead: PostgreSQL runs a multi-statement simple query in one
 * implicit transaction, as the native engine does.
 */
function wholeScripts(factory: PrismaPg): PrismaPg {
  const patch = <T>(adapter: T): T => {
    const a = adapter as unknown as ScriptAdapter;
    a.executeScript = async (script: string) => {
      try {
        await a.underlyingDriver().query(script);
      } catch (error) {
        if (a.onError) a.onError(error);
        throw error;
      }
    };
    // The engine's introspection reads catalog columns of type "char", which adapter-pg does not
    // map; pg already returns them as strings, so present them as text.
    const performIO = a.performIO.bind(a);
    a.performIO = async (query: unknown) => {
      const result = await performIO(query);
      for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      return result;
    };
    return adapter;
  };
  const connect = factory.connect.bind(factory);
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connect = async () => patch(await connect());
  factory.connectToShadowDb = async () => patch(await connectToShadowDb());
  return factory;
}

/**
 * adapter-pg's shadow database keeps the original connection string, which names the original
 * database, so the "shadow" would be the real one. Create a uniquely named database on the same
 * server instead, and drop it when the engine is done with it.
 */
function withShadowDatabases(factory: PrismaPg, databaseUrl: string): PrismaPg {
  factory.connectToShadowDb = async () => {
    const name = `pib_shadow_${randomUUID().replace(/-/g, "")}`;
    await adminQuery(databaseUrl, `create database "${name}"`);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    const adapter = await wholeScripts(new PrismaPg({ connectionString: url.toString() })).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await adminQuery(databaseUrl, `drop database if exists "${name}" with (force)`);
    };
    return adapter;
  };
  return factory;
}

async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export const NO_FILTER = { externalTables: [], externalEnums: [] };

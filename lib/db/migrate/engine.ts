// Prisma's own WebAssembly schema engine, driven directly: it works offline and where the native
// engine cannot be downloaded. It relies on a package Prisma marks internal, pinned in
// package.json and covered by migrate.test.ts.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";

const require = createRequire(import.meta.url);

type Bindings = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

let bindings: Promise<Bindings> | null = null;

// The engine reports a Rust panic's message through this global before throwing.
const panics = globalThis as unknown as { PRISMA_WASM_PANIC_REGISTRY?: { set_message: (m: string) => void } };
let lastPanic: string | null = null;
panics.PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message: (message: string) => {
    lastPanic = message;
  },
};

/** The message of the schema engine's last panic, to make a crash readable. */
export function lastEnginePanic(): string | null {
  return lastPanic;
}

function loadBindings(): Promise<Bindings> {
  bindings ??= (async () => {
    const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Bindings & {
      __wbg_set_wasm: (exports: WebAssembly.Exports) => void;
    };
    // The wasm file is not in the package's exports: find it beside the exported JS.
    const wasmPath = join(
      dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
      "schema_engine_bg.wasm",
    );
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
export async function openEngine(
  schemaPath: string,
  databaseUrl: string,
  log: (line: string) => void,
): Promise<EngineHandle> {
  const bg = await loadBindings();
  const adapter = withShadowDatabases(wholeScripts(new PrismaPg({ connectionString: databaseUrl })), databaseUrl);
  // The engine never disposes its connection: without this its pool (and the advisory lock
  // Prisma's migrate takes on it) would live on until the pool's 10 s idle timeout.
  const opened: { dispose: () => Promise<void> }[] = [];
  const connect = adapter.connect.bind(adapter);
  adapter.connect = async () => {
    const connection = await connect();
    opened.push(connection);
    return connection;
  };
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, readFileSync(schemaPath, "utf8")]] },
    (message: string) => log(message),
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await Promise.all(opened.map((c) => c.dispose().catch(() => undefined)));
    },
  };
}

type ScriptAdapter = {
  executeScript: (script: string) => Promise<void>;
  underlyingDriver: () => { query: (sql: string) => Promise<unknown> };
  onError?: (error: unknown) => never;
  performIO: (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }>;
  queryRaw: (query: object) => Promise<{ columnTypes: number[] }>;
};

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const COLUMN_TYPE_CHARACTER = ColumnTypeEnum.Character;

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
    // The engine's introspection reads catalog columns of type "char", which adapter-pg refuses
    // to map. pg already parses them to strings: let them through as text, then report them to
    // the engine as the Character column type it expects.
    const charColumns = new WeakMap<object, number[]>();
    const performIO = a.performIO.bind(a);
    a.performIO = async (query: unknown) => {
      const result = await performIO(query);
      const columns: number[] = [];
      result.fields.forEach((field, i) => {
        if (field.dataTypeID === PG_CHAR_OID) {
          field.dataTypeID = PG_TEXT_OID;
          columns.push(i);
        }
      });
      if (columns.length > 0 && query && typeof query === "object") charColumns.set(query, columns);
      return result;
    };
    const queryRaw = a.queryRaw.bind(a);
    a.queryRaw = async (query: object) => {
      const result = await queryRaw(query);
      for (const i of charColumns.get(query) ?? []) result.columnTypes[i] = COLUMN_TYPE_CHARACTER;
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

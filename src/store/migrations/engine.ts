// Prisma's schema engine compiled to WebAssembly (docs/database.md, "Migrations"): the
// native engine cannot be downloaded here, the WASM build ships on npm.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationAdapterFactory } from './adapters.js';

export type { SchemaEngine };

/** The schema file given to the engine: its path (for messages) and content. */
export interface SchemaFile {
  path: string;
  content: string;
}

// The global exists in Node; its type lives in lib.dom, which this project does not load.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let loading: Promise<void> | undefined;

/**
 * The package entry does `import "./x.wasm"`, which Node only allows behind
 * --experimental-wasm-modules, so the module is instantiated here with the
 * generated JS glue as its import object.
 */
function loadWasm(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const glue = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(glue), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': withUnrefTimers(bindings),
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/**
 * The engine arms timers it never cancels (its 10 s advisory-lock timeout among
 * them); unreferenced, they no longer keep a finished process (a CLI run, a
 * test file) alive. When they fire later in a long-lived process, nothing happens.
 */
function withUnrefTimers(glue: typeof bindings): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, fn] of Object.entries(glue)) {
    if (!name.startsWith('__wbg_setTimeout_')) continue;
    const arm = fn as (...args: unknown[]) => NodeJS.Timeout;
    imports[name] = (...args: unknown[]) => arm(...args).unref();
  }
  return imports;
}

/**
 * Runs `work` with an engine bound to `factory`, always freeing the engine and
 * closing the adapter's connections afterwards.
 */
export async function withEngine<T>(
  factory: MigrationAdapterFactory,
  schema: SchemaFile,
  work: (engine: SchemaEngine) => Promise<T>,
  log?: (msg: string) => void,
): Promise<T> {
  try {
    await loadWasm();
    const engine = await bindings.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      (line: string) => log?.(line),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    await factory.close();
  }
}

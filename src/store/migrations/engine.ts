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

/** The engine panicked: a bug of the engine, or a database answer it cannot read. */
export class SchemaEngineFailure extends Error {
  constructor(
    readonly panic: string,
    message = `the schema engine failed: ${panic}`,
  ) {
    super(message);
    this.name = 'SchemaEngineFailure';
  }
}

/** How each running withEngine is failed when the engine panics. */
const running = new Set<(failure: SchemaEngineFailure) => void>();
/** A panic's trap has not been thrown yet. */
let trapPending = false;
/**
 * The first panic. The instance is unusable after it, and no other can
 * replace it: the glue keeps views of the first instance's memory.
 */
let panicked: SchemaEngineFailure | undefined;

/**
 * The engine's panic hook hands its message to this global (Prisma's CLI
 * defines it; without it the glue fails with "reading 'set_message'"), then
 * traps. Every running piece of work fails with the message.
 */
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message(message: string) {
    trapPending = true;
    panicked ??= new SchemaEngineFailure(message);
    for (const fail of running) fail(panicked);
  },
};

/** Whether `error` is the trap that follows a panic (which then counts as thrown). */
function isPanicTrap(error: unknown): boolean {
  if (!trapPending || (error as Error | undefined)?.name !== 'RuntimeError') return false;
  trapPending = false;
  return true;
}

/**
 * The engine's tasks run as microtasks; a trap inside one is thrown where
 * nothing awaits it, and the call whose task it was never settles. The trap
 * after a panic is dropped here (withEngine reports the panic); anything
 * else is thrown as before.
 */
function runTask(task: () => void): void {
  try {
    task();
  } catch (error) {
    if (!isPanicTrap(error)) throw error;
  }
}

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
      './schema_engine_bg.js': withGuardedTasks(withUnrefTimers(bindings)),
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

/** The glue's microtask scheduler, running each task through runTask. */
function withGuardedTasks(imports: Record<string, unknown>): Record<string, unknown> {
  const guarded: Record<string, unknown> = { ...imports };
  for (const [name, fn] of Object.entries(imports)) {
    if (!name.startsWith('__wbg_queueMicrotask_')) continue;
    // Two imports carry the name: one reads the global's queueMicrotask (given the global), one calls it (given a task).
    const schedule = fn as (arg: unknown) => unknown;
    guarded[name] = (arg: unknown) => (typeof arg === 'function' ? schedule(() => runTask(arg as () => void)) : schedule(arg));
  }
  return guarded;
}

/**
 * Runs `work` with an engine bound to `factory`, always freeing the engine and
 * closing the adapter's connections afterwards. A panic of the engine fails it
 * with a SchemaEngineFailure carrying the panic's message.
 */
export async function withEngine<T>(
  factory: MigrationAdapterFactory,
  schema: SchemaFile,
  work: (engine: SchemaEngine) => Promise<T>,
  log?: (msg: string) => void,
): Promise<T> {
  if (panicked) {
    await factory.close();
    throw new SchemaEngineFailure(panicked.panic, `the schema engine failed earlier in this process, and cannot run again: ${panicked.panic}`);
  }
  let failure: SchemaEngineFailure | undefined;
  let fail: (failure: SchemaEngineFailure) => void = () => {};
  const panic = new Promise<never>((_, reject) => {
    fail = (f) => reject((failure = f));
  });
  panic.catch(() => {}); // observed through the races below, or by nobody
  running.add(fail);
  try {
    await loadWasm();
    const engine = await Promise.race([
      bindings.SchemaEngine.new(
        { datamodels: [[schema.path, schema.content]] },
        (line: string) => log?.(line),
        bindMigrationAwareSqlAdapterFactory(factory),
      ),
      panic,
    ]);
    try {
      return await Promise.race([work(engine), panic]);
    } finally {
      // A panicked instance is left alone: freeing would run its code again.
      if (!failure) engine.free();
    }
  } catch (error) {
    // A trap thrown straight out of an engine call rather than from a task.
    if (failure && isPanicTrap(error)) throw failure;
    throw error;
  } finally {
    running.delete(fail);
    await factory.close();
  }
}

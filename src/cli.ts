// The command line: `tsx src/cli.ts <command> [args]`. Each command is an async
// handler that resolves with the exit code, or with nothing to keep the
// process running (a server that stops on its own signals).
import { runMigrate } from './store/migrations/cli.js';
import { serve } from './serve.js';
import { pathCommand } from './commands/path.js';
import { showHostCommand } from './commands/showHost.js';
import { demoCommand } from './commands/demo.js';
import { importCommand } from './commands/import.js';
import { exportCommand } from './commands/export.js';
import { tokenCommand } from './commands/token.js';

type Handler = (args: string[]) => Promise<number | void>;

const commands = new Map<string, Handler>([
  ['migrate', (args) => runMigrate(args)],
  ['serve', () => serve()],
  ['path', pathCommand],
  ['show-host', showHostCommand],
  ['demo', demoCommand],
  ['import', importCommand],
  ['export', exportCommand],
  ['token', (args) => tokenCommand(args)],
]);

function usage(): string {
  return `usage: neutron-graph <command> [args]\ncommands: ${[...commands.keys()].join(', ')}`;
}

async function main(argv: string[]): Promise<number | void> {
  const [name, ...args] = argv;
  const handler = name === undefined ? undefined : commands.get(name);
  if (!handler) {
    console.error(usage());
    return 1;
  }
  return handler(args);
}

// An explicit exit: libraries (the schema engine, database pools) may leave
// timers behind that would otherwise delay the end of a finished command.
main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);

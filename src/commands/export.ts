// `export [--out <dir-or-file>]`: the model as a Neutron API document, from
// the database (DATABASE_URL, else DATA_DIR): to stdout, to one .json file,
// or to a directory with one file per kind.
import { loadConfig } from '../config.js';
import { exportDocument } from '../services/export.js';
import { openDatabase } from '../store/db.js';
import { CommandError, parseOptions } from './client.js';
import { writeDocumentFiles } from './documentFiles.js';

export async function exportCommand(args: string[]): Promise<number> {
  const { positional, options } = parseOptions(args, ['out']);
  if (positional.length > 0) throw new CommandError('usage: export [--out <dir-or-file>]');
  const db = await openDatabase(loadConfig().database, { poolSize: 2 });
  try {
    const document = await exportDocument(db.prisma);
    if (!options.out) {
      process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return 0;
    }
    const files = writeDocumentFiles(options.out, document);
    const counts = Object.entries(document).map(([key, list]) => `${list.length} ${key}`).join(', ');
    console.error(`wrote ${files.join(', ')}: ${counts}`);
    return 0;
  } finally {
    await db.close();
  }
}

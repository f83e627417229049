// The CLI's GraphQL client: commands that read the model ask a running
// server (NG_URL, default http://localhost:4000/graphql) with NG_TOKEN.
export const DEFAULT_URL = 'http://localhost:4000/graphql';

export class CommandError extends Error {}

export async function graphql<T>(query: string, variables: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const url = env.NG_URL || DEFAULT_URL;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (env.NG_TOKEN) headers.authorization = `Bearer ${env.NG_TOKEN}`;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch (error) {
    throw new CommandError(`cannot reach ${url} (${(error as Error).cause ?? (error as Error).message}); start the server with \`npm start\` or set NG_URL`);
  }
  const body = (await res.json().catch(() => null)) as { data?: T; errors?: { message: string }[] } | null;
  if (!body) throw new CommandError(`${url} answered HTTP ${res.status} without a GraphQL body`);
  if (body.errors?.length) throw new CommandError(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

/** Left-aligned columns separated by two spaces, with a header line. */
export function table(header: string[], rows: (string | number | null)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null ? '' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

/** Parses `--name value` options after positional arguments. */
export function parseOptions(args: string[], known: string[]): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (!known.includes(name)) throw new CommandError(`unknown option ${arg}; known: ${known.map((k) => `--${k}`).join(' ')}`);
    const value = args[++i];
    if (value === undefined) throw new CommandError(`${arg} needs a value`);
    options[name] = value;
  }
  return { positional, options };
}

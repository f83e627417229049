// What never reaches a log line: credentials. Values under keys named like a
// secret (authorization, cookie, password, token, secret, api key…) are
// replaced, at any depth, and any string that carries an API token or a
// bearer credential has it cut out, whatever key it sits under (an error
// message that quotes a header, a variable named `name`).

export const REDACTED = '[Redacted]';

/** Keys whose values are secrets: headers, GraphQL variables, config fields. */
const SECRET_KEY = /authorization|cookie|secret|passw(or)?d|passphrase|token|api[-_]?key|credential|private[-_]?key/i;
/** …except the ones that only name or count a secret: a token's id is what logs should carry. */
const NOT_A_SECRET = /(id|ids|name|count|type|kind)$/i;

/** A token as src/auth/token.ts makes them, a bearer or basic credential, a URL's password. */
const SECRET_IN_TEXT: [RegExp, string][] = [
  [/ngt_[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/(\/\/[^/\s:@]*:)[^/\s@]+@/g, `$1${REDACTED}@`],
];

export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key) && !NOT_A_SECRET.test(key);

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_IN_TEXT) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of `value` (plain JSON data) with every secret replaced. */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = isSecretKey(key) && inner !== null ? REDACTED : redactSecrets(inner);
    return out;
  }
  return value;
}

/** One JSON log line, redacted; a line that is not JSON has the secrets in its text cut out. */
export function redactLogLine(line: string): string {
  try {
    return JSON.stringify(redactSecrets(JSON.parse(line))) + (line.endsWith('\n') ? '\n' : '');
  } catch {
    return redactText(line);
  }
}

import { REDACTED, redactLogLine, redactSecrets } from '../../../src/log/redact.js';

const TOKEN = 'ngt_' + 'A1b2C3d4'.repeat(5) + 'xyz';

describe('log redaction', () => {
  it('replaces values under secret-named keys at any depth, and keeps ids and names of secrets', () => {
    const line = {
      req: { headers: { authorization: `Bearer ${TOKEN}`, cookie: 'sid=abc', 'user-agent': 'curl/8' } },
      variables: { input: { password: 'hunter2', apiKey: 'k-1', name: 'net1' }, tokens: ['a'], clientSecret: 'shh' },
      tokenId: '7d8e0c3e-1b7c-4f44-9a4c-2a1f3b2c1d00',
      tokenName: 'ci',
    };
    expect(redactSecrets(line)).toEqual({
      req: { headers: { authorization: REDACTED, cookie: REDACTED, 'user-agent': 'curl/8' } },
      variables: { input: { password: REDACTED, apiKey: REDACTED, name: 'net1' }, tokens: REDACTED, clientSecret: REDACTED },
      tokenId: '7d8e0c3e-1b7c-4f44-9a4c-2a1f3b2c1d00',
      tokenName: 'ci',
    });
  });

  it('cuts tokens, bearer credentials and URL passwords out of any text', () => {
    const out = redactSecrets({ msg: `rejected ${TOKEN} from "Bearer abc.def" at postgresql://app:pw123@db:5432/x`, list: [`x ${TOKEN}`] });
    expect(JSON.stringify(out)).not.toMatch(/A1b2C3d4|abc\.def|pw123/);
    expect(out).toEqual({ msg: `rejected ${REDACTED} from "Bearer ${REDACTED}" at postgresql://app:${REDACTED}@db:5432/x`, list: [`x ${REDACTED}`] });
  });

  it('redacts a finished JSON line and keeps its newline; text that is not JSON is still scrubbed', () => {
    const line = JSON.stringify({ level: 30, msg: 'request completed', req: { headers: { authorization: `Bearer ${TOKEN}` } } }) + '\n';
    const out = redactLogLine(line);
    expect(out.endsWith('\n')).toBe(true);
    expect(JSON.parse(out).req.headers.authorization).toBe(REDACTED);
    expect(redactLogLine(`not json ${TOKEN}`)).toBe(`not json ${REDACTED}`);
  });
});

// One webhook POST over node:http(s): unlike fetch, its request takes the DNS
// lookup of its connection, so a webhook that may reach public addresses
// only connects to the very address that was checked (services/webhooks/targets.ts).
// Redirects are not followed; the response body is discarded.
import http from 'node:http';
import https from 'node:https';
import { publicOnlyLookupFor } from '../services/webhooks/targets.js';

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  /** Connect only to public addresses (else NotPublicError). */
  publicOnly: boolean;
}

/** POSTs `body` to `url`; the response's status. Rejects with a TimeoutError after `timeoutMs`. */
export async function post(url: string, body: string, { headers, timeoutMs, publicOnly }: PostOptions): Promise<number> {
  const target = new URL(url);
  const lookup = publicOnly ? publicOnlyLookupFor(target) : undefined;
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise((resolve, reject) => {
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      // A connection of its own (no agent): never a pooled one opened to an address nobody checked.
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, signal, agent: false },
      (response) => {
        response.destroy();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', (error) => reject(signal.aborted ? signal.reason : error));
    request.end(body);
  });
}

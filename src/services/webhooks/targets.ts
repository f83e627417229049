// Where a webhook may deliver (WEBHOOK_PRIVATE_TARGETS; docs/live.md,
// "Private targets"). A webhook that may not reach addresses that are not
// public is refused at creation when its host is, or resolves to, such an
// address; its deliveries then connect only to the public address the lookup
// just checked, so a name pointed elsewhere afterwards (DNS rebinding) gains nothing.
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from '../../domain/publicAddress.js';
import type { PrivateTargets } from '../../live/config.js';
import type { Caller } from '../caller.js';
import { fail } from '../errors.js';

/** Whether a webhook the caller creates now may deliver to addresses that are not public. */
export const mayTargetPrivate = (setting: PrivateTargets, caller: Caller): boolean =>
  setting === 'all' || (setting === 'admin' && caller.project === null);

/** The URL's host as dns and net take it: an IPv6 address without its brackets. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** A delivery refused before it connected. It names the host as the webhook's URL gives it, never what a name resolved to. */
export class NotPublicError extends Error {
  constructor(host: string) {
    super(`the address ${isIP(host) ? host : `of ${host}`} is not public (WEBHOOK_PRIVATE_TARGETS)`);
  }
}

/** At creation: refuses a URL whose host is, or resolves to, an address that is not public. */
export async function requirePublicTarget(url: URL, setting: PrivateTargets): Promise<void> {
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await dns.promises.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    fail('INVALID', ['url'], `the url's host ${host} does not resolve, so it cannot be checked to be a public address`);
  }
  if (addresses.every(isPublicAddress)) return;
  const what = isIP(host) ? `${host} is not a public address` : `${host} resolves to an address that is not public`;
  const who = setting === 'none' ? 'no webhook' : "only an admin's webhook";
  fail('FORBIDDEN', ['url'], `${what}; ${who} may deliver to loopback, private, link-local or other non-public addresses (WEBHOOK_PRIVATE_TARGETS=${setting})`);
}

/** A net lookup that resolves as usual and fails with NotPublicError when any address found is not public. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) callback(error, '');
    else if (!addresses.every((a) => isPublicAddress(a.address))) callback(new NotPublicError(hostname), '');
    else if (options.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  });
};

/**
 * At delivery: the lookup a connection to `url` must use to reach public
 * addresses only. net.connect looks up names only, so a literal address is
 * checked here (NotPublicError).
 */
export function publicOnlyLookupFor(url: URL): LookupFunction {
  const host = hostOf(url);
  if (isIP(host) && !isPublicAddress(host)) throw new NotPublicError(host);
  return publicOnlyLookup;
}

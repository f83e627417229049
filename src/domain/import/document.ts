// The top level of a document: one JSON object with any of the list keys
// the Neutron API v2 (and nova, for servers) answer with. Other keys are
// ignored; each list must hold objects.
import { isObject } from './fields.js';
import type { Issues } from './issues.js';

export const DOCUMENT_KEYS = [
  'agents',
  'networks',
  'subnets',
  'security_groups',
  'security_group_rules',
  'servers',
  'routers',
  'ports',
  'floatingips',
] as const;

export type DocumentKey = (typeof DOCUMENT_KEYS)[number];

export type NeutronDocument = Partial<Record<DocumentKey, unknown[]>>;

export interface Entry {
  object: Record<string, unknown>;
  /** Path in the document, e.g. ["ports", "3"]. */
  path: string[];
}

export type Entries = Record<DocumentKey, Entry[]>;

export function documentEntries(document: unknown, issues: Issues): Entries {
  const entries = Object.fromEntries(DOCUMENT_KEYS.map((key) => [key, [] as Entry[]])) as Entries;
  if (!isObject(document)) {
    issues.add('INVALID', [], `the document must be a JSON object with any of the keys ${DOCUMENT_KEYS.join(', ')}`);
    return entries;
  }
  for (const key of DOCUMENT_KEYS) {
    const list = document[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      issues.add('INVALID', [key], `${key} must be a list`);
      continue;
    }
    list.forEach((object, i) => {
      if (isObject(object)) entries[key].push({ object, path: [key, String(i)] });
      else issues.add('INVALID', [key, String(i)], `${key}[${i}] must be an object`);
    });
  }
  return entries;
}

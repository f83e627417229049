// Reads the fields of one JSON object of a document. A missing required
// field or a value of the wrong type becomes an issue at the field's path
// and the read returns undefined; unknown fields are never looked at.
import { isMacAddress, isIpAddress, normalizeIp, normalizeMac } from '../addressing.js';
import type { Issues } from './issues.js';
import type { FixedIpRow } from './model.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_RE.test(value);

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Neutron's created_at ("2016-03-08T20:19:41", UTC, with or without "Z") as ISO 8601; null when absent or unreadable. */
export function timestamp(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const zoned = /([zZ]|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  const time = Date.parse(zoned);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

export class ObjectReader {
  constructor(
    readonly object: Record<string, unknown>,
    /** The object's path in the document, e.g. ["ports", "3"]. */
    readonly path: string[],
    /** How messages name the object, e.g. "port 4874fb2a-…". */
    readonly label: string,
    private readonly issues: Issues,
  ) {}

  at(...field: string[]): string[] {
    return [...this.path, ...field];
  }

  problem(field: string[], message: string, code: 'INVALID' | 'NOT_FOUND' | 'CONFLICT' = 'INVALID'): void {
    this.issues.add(code, this.at(...field), `${this.label}: ${message}`);
  }

  has(key: string): boolean {
    return this.object[key] !== undefined && this.object[key] !== null;
  }

  private missing(key: string): undefined {
    this.problem([key], `${key} is required`);
    return undefined;
  }

  /** A string; `fallback` is returned when the key is absent or null. */
  string(key: string, fallback?: string): string | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return fallback ?? this.missing(key);
    if (typeof value !== 'string') {
      this.problem([key], `${key} must be a string`);
      return undefined;
    }
    return value;
  }

  /** A nullable string: null when absent. */
  optionalString(key: string): string | null | undefined {
    return this.has(key) ? this.string(key) : null;
  }

  uuid(key: string): string | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!isUuid(value)) {
      this.problem([key], `${key} '${value}' is not a UUID`);
      return undefined;
    }
    return value.toLowerCase();
  }

  optionalUuid(key: string): string | null | undefined {
    return this.has(key) ? this.uuid(key) : null;
  }

  boolean(key: string, fallback: boolean): boolean | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') {
      this.problem([key], `${key} must be true or false`);
      return undefined;
    }
    return value;
  }

  /** An integer in [min, max]; null when absent. */
  integer(key: string, min: number, max: number): number | null | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return null;
    const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
      this.problem([key], `${key} must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return number;
  }

  ip(key: string): string | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!isIpAddress(value)) {
      this.problem([key], `${key} '${value}' is not an IP address`);
      return undefined;
    }
    return normalizeIp(value);
  }

  mac(key: string): string | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!isMacAddress(value)) {
      this.problem([key], `${key} '${value}' is not a unicast MAC address`);
      return undefined;
    }
    return normalizeMac(value);
  }

  /** A list; [] when absent. */
  list(key: string): unknown[] | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem([key], `${key} must be a list`);
      return undefined;
    }
    return value;
  }

  /** A nested object; null when absent. */
  child(key: string): Record<string, unknown> | null | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return null;
    if (!isObject(value)) {
      this.problem([key], `${key} must be an object`);
      return undefined;
    }
    return value;
  }

  /** A reader for an object nested at `field`, named like its parent. */
  nested(object: Record<string, unknown>, ...field: string[]): ObjectReader {
    return new ObjectReader(object, this.at(...field), this.label, this.issues);
  }

  createdAt(key = 'created_at'): string | null {
    return timestamp(this.object[key]);
  }

  /** project_id, or the older tenant_id; `fallback` when both are absent. */
  project(fallback?: string): string | undefined {
    if (this.has('project_id')) return this.string('project_id');
    if (this.has('tenant_id')) return this.string('tenant_id');
    return fallback ?? this.missing('project_id');
  }
}

/** A list of {subnet_id, ip_address} (fixed_ips, external_fixed_ips); [] when absent. */
/**
 * A list of objects under `key`, each read by `readItem` (given the items
 * read before it); undefined at the first problem, which is reported at the
 * item's path. `notAnObject` says what an item that is no object should be.
 */
export function readObjects<T>(
  reader: ObjectReader,
  key: string,
  notAnObject: (index: number) => string,
  readItem: (item: ObjectReader, before: T[]) => T | undefined,
): T[] | undefined {
  const list = reader.list(key);
  if (list === undefined) return undefined;
  const items: T[] = [];
  for (const [i, value] of list.entries()) {
    if (!isObject(value)) {
      reader.problem([key, String(i)], notAnObject(i));
      return undefined;
    }
    const item = readItem(reader.nested(value, key, String(i)), items);
    if (item === undefined) return undefined;
    items.push(item);
  }
  return items;
}

export function readFixedIps(reader: ObjectReader, key: string): FixedIpRow[] | undefined {
  return readObjects<FixedIpRow>(reader, key, (i) => `${key}[${i}] must be an object`, (ip, before) => {
    const subnetId = ip.uuid('subnet_id');
    const ipAddress = ip.ip('ip_address');
    if (subnetId === undefined || ipAddress === undefined) return undefined;
    if (before.some((other) => other.subnetId === subnetId && other.ipAddress === ipAddress)) {
      ip.problem(['ip_address'], `${ipAddress} is listed twice`, 'CONFLICT');
      return undefined;
    }
    return { subnetId, ipAddress };
  });
}

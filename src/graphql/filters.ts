// GraphQL filters -> Prisma where clauses. Undefined keys filter nothing.
import { badUserInput, uuidArg } from './errors.js';

type F = Record<string, unknown> | null | undefined;

/** A text filter; PostgreSQL cannot even compare text holding NUL. */
function str(f: F, k: string): string | undefined {
  const value = (f?.[k] ?? undefined) as string | undefined;
  if (value?.includes('\u0000')) throw badUserInput(`filter.${k} must not contain NUL characters`);
  return value;
}
const contains = (v: string | undefined) => (v === undefined ? undefined : { contains: v });
const uuid = (f: F, k: string) => (f?.[k] ? uuidArg(f[k] as string, k) : undefined);
const val = <T>(f: F, k: string) => (f?.[k] ?? undefined) as T | undefined;

export const hostWhere = (f: F) => ({
  roles: f?.role ? { has: f.role as 'COMPUTE' | 'NETWORK' } : undefined,
  up: val<boolean>(f, 'up'),
  name: contains(str(f, 'nameContains')),
});

export const networkWhere = (f: F) => ({
  projectId: str(f, 'projectId'),
  networkType: val<'VXLAN'>(f, 'networkType'),
  external: val<boolean>(f, 'external'),
  shared: val<boolean>(f, 'shared'),
  name: contains(str(f, 'nameContains')),
});

export const subnetWhere = (f: F) => ({
  networkId: uuid(f, 'networkId'),
  projectId: str(f, 'projectId'),
  ipVersion: val<number>(f, 'ipVersion'),
});

export const portWhere = (f: F) => ({
  networkId: uuid(f, 'networkId'),
  projectId: str(f, 'projectId'),
  host: f?.hostName ? { name: str(f, 'hostName') } : undefined,
  deviceOwner: str(f, 'deviceOwner'),
  deviceId: str(f, 'deviceId'),
  status: val<'ACTIVE'>(f, 'status'),
});

export const instanceWhere = (f: F) => ({
  projectId: str(f, 'projectId'),
  host: f?.hostName ? { name: str(f, 'hostName') } : undefined,
  name: contains(str(f, 'nameContains')),
});

export const routerWhere = (f: F) => ({
  projectId: str(f, 'projectId'),
  name: contains(str(f, 'nameContains')),
});

export const floatingIpWhere = (f: F) => ({
  projectId: str(f, 'projectId'),
  floatingNetworkId: uuid(f, 'externalNetworkId'),
  portId: uuid(f, 'portId'),
});

export const securityGroupWhere = (f: F) => ({
  projectId: str(f, 'projectId'),
  name: str(f, 'name'),
});

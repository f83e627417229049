// GraphQL filters -> Prisma where clauses. Undefined keys filter nothing.
import { uuidArg } from './errors.js';

type F = Record<string, unknown> | null | undefined;
const str = (f: F, k: string) => (f?.[k] ?? undefined) as string | undefined;
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
  host: f?.hostName ? { name: f.hostName as string } : undefined,
  deviceOwner: str(f, 'deviceOwner'),
  deviceId: str(f, 'deviceId'),
  status: val<'ACTIVE'>(f, 'status'),
});

export const instanceWhere = (f: F) => ({
  projectId: str(f, 'projectId'),
  host: f?.hostName ? { name: f.hostName as string } : undefined,
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

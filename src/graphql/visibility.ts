// What a principal may read, as Prisma where clauses: every list, count and
// by-id load adds these in SQL, so pages and totalCount are those of the
// visible rows, and an object of another project reads exactly like a
// missing one. A project sees its own objects plus shared and external
// networks and their subnets; hosts and local VLANs are admin-only.
import type { Prisma as P } from '../generated/prisma/client.js';
import type { Principal } from '../auth/principal.js';

export interface Visibility {
  host: P.HostWhereInput;
  localVlan: P.LocalVlanWhereInput;
  network: P.NetworkWhereInput;
  subnet: P.SubnetWhereInput;
  port: P.PortWhereInput;
  instance: P.InstanceWhereInput;
  router: P.RouterWhereInput;
  floatingIp: P.FloatingIpWhereInput;
  securityGroup: P.SecurityGroupWhereInput;
  securityGroupRule: P.SecurityGroupRuleWhereInput;
}

export type VisibleKind = keyof Visibility;

const EVERYTHING: Visibility = {
  host: {},
  localVlan: {},
  network: {},
  subnet: {},
  port: {},
  instance: {},
  router: {},
  floatingIp: {},
  securityGroup: {},
  securityGroupRule: {},
};

export function visibilityOf(auth: Principal): Visibility {
  if (auth.isAdmin) return EVERYTHING;
  const own = { projectId: auth.projectId! };
  const open: P.NetworkWhereInput[] = [{ shared: true }, { external: true }];
  return {
    host: { id: { in: [] } },
    localVlan: { hostId: { in: [] } },
    network: { OR: [own, ...open] },
    subnet: { OR: [own, { network: { OR: open } }] },
    port: own,
    instance: own,
    router: own,
    floatingIp: own,
    securityGroup: own,
    securityGroupRule: { securityGroup: own },
  };
}

/** `where` narrowed to what the principal sees. */
export function within<W extends object>(where: W, scope: object): W {
  return Object.keys(scope).length === 0 ? where : ({ AND: [where, scope] } as W);
}

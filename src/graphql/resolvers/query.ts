// Top-level reads: lists as connections, any object by id, each narrowed in
// SQL to what the request's principal sees.
import type { Context } from '../context.js';
import { listConnection, type PageArgs } from '../connection.js';
import * as where from '../filters.js';
import { isUuid } from '../../services/ids.js';
import { segmentPools } from '../../services/segments.js';
import { isHostName } from '../../services/hosts.js';
import { requireAdminForFilter } from '../authorization.js';
import { within } from '../visibility.js';

type ListArgs = PageArgs & { filter?: Record<string, unknown> | null };

const NODE_TABLES = ['Host', 'Network', 'Subnet', 'Port', 'Instance', 'Router', 'FloatingIp', 'SecurityGroup', 'SecurityGroupRule'] as const;
type NodeType = (typeof NODE_TABLES)[number];

const loaderOf: Record<NodeType, keyof Context['loaders']> = {
  Host: 'host',
  Network: 'network',
  Subnet: 'subnet',
  Port: 'port',
  Instance: 'instance',
  Router: 'router',
  FloatingIp: 'floatingIp',
  SecurityGroup: 'securityGroup',
  SecurityGroupRule: 'securityGroupRule',
};

/**
 * Finds which table holds the id in one statement (ids are unique across
 * all of them: the ObjectId table), then loads the row through the
 * request's visibility.
 */
async function node(_: unknown, { id }: { id: string }, ctx: Context) {
  if (!isUuid(id)) return null;
  const key = id.toLowerCase();
  const union = NODE_TABLES.map((t) => `SELECT '${t}' AS type FROM "${t}" WHERE id = $1::uuid`).join(' UNION ALL ');
  const rows = await ctx.db.prisma.$queryRawUnsafe<{ type: NodeType }[]>(union, key);
  for (const { type } of rows) {
    const row = await (ctx.loaders[loaderOf[type]] as { load(id: string): Promise<object | null> }).load(key);
    if (row) return { ...row, __typename: type };
  }
  return null;
}

export const queryResolvers = {
  node,
  segmentPools: (_: unknown, __: unknown, { db, config }: Context) => segmentPools(db.prisma, config.segments),
  hosts: (_: unknown, args: ListArgs, { db, see }: Context) =>
    listConnection(args, within(where.hostWhere(args.filter), see.host), (q) => db.prisma.host.findMany(q), (q) => db.prisma.host.count(q)),
  host: (_: unknown, { name }: { name: string }, { db, see }: Context) => (isHostName(name) ? db.prisma.host.findFirst({ where: within({ name }, see.host) }) : null),
  networks: (_: unknown, args: ListArgs, { db, see }: Context) =>
    listConnection(args, within(where.networkWhere(args.filter), see.network), (q) => db.prisma.network.findMany(q), (q) => db.prisma.network.count(q)),
  subnets: (_: unknown, args: ListArgs, { db, see }: Context) =>
    listConnection(args, within(where.subnetWhere(args.filter), see.subnet), (q) => db.prisma.subnet.findMany(q), (q) => db.prisma.subnet.count(q)),
  ports: (_: unknown, args: ListArgs, ctx: Context) => {
    requireAdminForFilter(ctx, args.filter, 'hostName');
    const { db, see } = ctx;
    return listConnection(args, within(where.portWhere(args.filter), see.port), (q) => db.prisma.port.findMany(q), (q) => db.prisma.port.count(q));
  },
  instances: (_: unknown, args: ListArgs, ctx: Context) => {
    requireAdminForFilter(ctx, args.filter, 'hostName');
    const { db, see } = ctx;
    return listConnection(args, within(where.instanceWhere(args.filter), see.instance), (q) => db.prisma.instance.findMany(q), (q) => db.prisma.instance.count(q));
  },
  routers: (_: unknown, args: ListArgs, { db, see }: Context) =>
    listConnection(args, within(where.routerWhere(args.filter), see.router), (q) => db.prisma.router.findMany(q), (q) => db.prisma.router.count(q)),
  floatingIps: (_: unknown, args: ListArgs, { db, see }: Context) =>
    listConnection(args, within(where.floatingIpWhere(args.filter), see.floatingIp), (q) => db.prisma.floatingIp.findMany(q), (q) => db.prisma.floatingIp.count(q)),
  securityGroups: (_: unknown, args: ListArgs, { db, see }: Context) =>
    listConnection(args, within(where.securityGroupWhere(args.filter), see.securityGroup), (q) => db.prisma.securityGroup.findMany(q), (q) => db.prisma.securityGroup.count(q)),
};

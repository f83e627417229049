// Top-level reads: lists as connections, any object by id.
import type { Context } from '../context.js';
import { listConnection, type PageArgs } from '../connection.js';
import * as where from '../filters.js';
import { isUuid } from '../../services/ids.js';
import { segmentPools } from '../../services/segments.js';

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

/** Finds which table holds the id in one statement, then loads the row. */
async function node(_: unknown, { id }: { id: string }, ctx: Context) {
  if (!isUuid(id)) return null;
  const key = id.toLowerCase();
  const union = NODE_TABLES.map((t) => `SELECT '${t}' AS type FROM "${t}" WHERE id = $1::uuid`).join(' UNION ALL ');
  const rows = await ctx.db.prisma.$queryRawUnsafe<{ type: NodeType }[]>(`${union} LIMIT 1`, key);
  if (rows.length === 0) return null;
  const type = rows[0].type;
  const row = await (ctx.loaders[loaderOf[type]] as { load(id: string): Promise<object | null> }).load(key);
  return row ? { ...row, __typename: type } : null;
}

export const queryResolvers = {
  node,
  segmentPools: (_: unknown, __: unknown, { db, config }: Context) => segmentPools(db.prisma, config.segments),
  hosts: (_: unknown, args: ListArgs, { db }: Context) =>
    listConnection(args, where.hostWhere(args.filter), (q) => db.prisma.host.findMany(q), (q) => db.prisma.host.count(q)),
  host: (_: unknown, { name }: { name: string }, { db }: Context) => db.prisma.host.findUnique({ where: { name } }),
  networks: (_: unknown, args: ListArgs, { db }: Context) =>
    listConnection(args, where.networkWhere(args.filter), (q) => db.prisma.network.findMany(q), (q) => db.prisma.network.count(q)),
  subnets: (_: unknown, args: ListArgs, { db }: Context) =>
    listConnection(args, where.subnetWhere(args.filter), (q) => db.prisma.subnet.findMany(q), (q) => db.prisma.subnet.count(q)),
  ports: (_: unknown, args: ListArgs, { db }: Context) =>
    listConnection(args, where.portWhere(args.filter), (q) => db.prisma.port.findMany(q), (q) => db.prisma.port.count(q)),
  instances: (_: unknown, args: ListArgs, { db }: Context) =>
    listConnection(args, where.instanceWhere(args.filter), (q) => db.prisma.instance.findMany(q), (q) => db.prisma.instance.count(q)),
  routers: (_: unknown, args: ListArgs, { db }: Context) =>
    listConnection(args, where.routerWhere(args.filter), (q) => db.prisma.router.findMany(q), (q) => db.prisma.router.count(q)),
  floatingIps: (_: unknown, args: ListArgs, { db }: Context) =>
    listConnection(args, where.floatingIpWhere(args.filter), (q) => db.prisma.floatingIp.findMany(q), (q) => db.prisma.floatingIp.count(q)),
  securityGroups: (_: unknown, args: ListArgs, { db }: Context) =>
    listConnection(args, where.securityGroupWhere(args.filter), (q) => db.prisma.securityGroup.findMany(q), (q) => db.prisma.securityGroup.count(q)),
};

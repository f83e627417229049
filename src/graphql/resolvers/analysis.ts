// reachability, exposure, securityGroupAudit: thin over the analysis services.
import { GraphQLError } from 'graphql';
import type { Context } from '../context.js';
import { forbidden, viewerOf } from '../authorization.js';
import { badUserInput } from '../errors.js';
import { DEFAULT_PAGE, MAX_PAGE } from '../connection.js';
import type { EndpointSet } from '../../domain/analysis/endpointSets.js';
import type { PairOutcome } from '../../domain/analysis/reachability.js';
import { EndpointError, type Flow, type PathResult, type Verdict } from '../../domain/path/index.js';
import { flowOf, PathInputError, rangeFlowOf } from '../../services/path.js';
import { reachability, type ReachabilityReport } from '../../services/reachability.js';
import { exposure } from '../../services/exposure.js';
import { PROJECT_ID_RE } from '../../services/validate.js';
import type { Exposure } from '../../domain/analysis/exposure.js';
import type { Finding } from '../../domain/analysis/audit.js';
import { securityGroupAudit } from '../../services/audit.js';
import { suggestRules } from '../../domain/analysis/suggestRules.js';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SetArg {
  instances?: string[] | null;
  networkId?: string | null;
  subnetId?: string | null;
  projectId?: string | null;
  cidr?: string | null;
  internet?: boolean | null;
}

/** The one key a @oneOf EndpointSetInput carries. */
export function setOf(arg: SetArg, name: string): EndpointSet {
  if (arg.instances) return { kind: 'INSTANCES', instances: arg.instances };
  if (arg.networkId) return { kind: 'NETWORK', networkId: arg.networkId };
  if (arg.subnetId) return { kind: 'SUBNET', subnetId: arg.subnetId };
  if (arg.projectId) return { kind: 'PROJECT', projectId: arg.projectId };
  if (arg.cidr) return { kind: 'CIDR', cidr: arg.cidr };
  if (arg.internet === true) return { kind: 'INTERNET' };
  throw badUserInput(`${name}: internet must be true when given`);
}

/** The project a project-wide analysis is about: the token's own, or for an admin the one named. */
export function projectOf(ctx: Context, projectId: string | null | undefined, what: string): string {
  const own = ctx.auth.projectId;
  const project = projectId ?? own;
  if (project === null) throw badUserInput('an admin token belongs to no project: give projectId');
  if (!PROJECT_ID_RE.test(project)) throw badUserInput(`'${project}' is not a project id`);
  if (!ctx.auth.canRead(project)) throw forbidden(`a token of project ${own} cannot read the ${what} of project '${project}'`);
  return project;
}

/** Runs an analysis, turning what the asker got wrong into BAD_USER_INPUT. */
export async function asked<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof EndpointError || error instanceof PathInputError) throw badUserInput(error.message);
    throw error;
  }
}

interface PairNode {
  pair: PairOutcome;
  report: ReachabilityReport;
}

const cursorOf = (n: number) => Buffer.from(`pair:${n}`, 'utf8').toString('base64url');

function positionOf(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^pair:\d+$/.test(text)) throw new GraphQLError(`'${cursor}' is not a cursor of this list`, { extensions: { code: 'BAD_USER_INPUT' } });
  return Number(text.slice(5));
}

function pairPage(report: ReachabilityReport, args: { first?: number | null; after?: string | null; verdict?: Verdict | null; reachedDestination?: boolean | null }) {
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw badUserInput(`first must be from 0 to ${MAX_PAGE}`);
  const matching = report.pairs.filter((p) =>
    (args.verdict == null || p.verdict === args.verdict) && (args.reachedDestination == null || p.reachedDestination === args.reachedDestination));
  const start = args.after ? positionOf(args.after) + 1 : 0;
  const page = matching.slice(start, start + first);
  const edges = page.map((pair, i) => ({ cursor: cursorOf(start + i), node: { pair, report } }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage: start + first < matching.length, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: matching.length,
  };
}

export const analysisResolvers = {
  Query: {
    reachability: (_: unknown, args: { sources: SetArg; destinations: SetArg; flows?: Row[] | null; bidirectional?: boolean | null }, ctx: Context) =>
      asked(() => {
        const flows: Flow[] = (args.flows?.length ? args.flows : [null]).map(rangeFlowOf);
        return reachability(ctx.db.prisma, setOf(args.sources, 'sources'), setOf(args.destinations, 'destinations'), flows, viewerOf(ctx), args.bidirectional === true);
      }),
    exposure: (_: unknown, args: { projectId?: string | null }, ctx: Context) => exposure(ctx.db.prisma, projectOf(ctx, args.projectId, 'exposure'), viewerOf(ctx)),
    securityGroupAudit: (_: unknown, args: { projectId?: string | null; flows?: Row[] | null }, ctx: Context) =>
      asked(() => securityGroupAudit(ctx.db.prisma, projectOf(ctx, args.projectId, 'security group audit'), args.flows ? args.flows.map(flowOf) : null)),
  },
  Path: {
    suggestedRules: (path: PathResult) => (path.firewallDenial ? suggestRules(path.firewallDenial) : []),
  },
  AuditFinding: {
    ruleId: (f: Finding) => f.rule?.id ?? null,
    relatedRuleId: (f: Finding) => f.relatedRule?.id ?? null,
  },
  Exposure: {
    portId: (e: Exposure) => e.port.id,
    instance: (e: Exposure) => e.instanceName,
    ruleId: (e: Exposure) => e.rule?.id ?? null,
  },
  ReachabilityReport: {
    sourceCount: (r: ReachabilityReport) => r.sources.length,
    destinationCount: (r: ReachabilityReport) => r.destinations.length,
    pairCount: (r: ReachabilityReport) => r.pairs.length,
    pairs: (r: ReachabilityReport, args: Row) => pairPage(r, args),
  },
  ReachabilityPair: {
    source: ({ pair }: PairNode) => pair.source.label,
    destination: ({ pair }: PairNode) => pair.destination.label,
    protocol: ({ pair }: PairNode) => pair.flow.protocol,
    destinationPort: ({ pair }: PairNode) => pair.flow.destinationPort,
    sourcePort: ({ pair }: PairNode) => pair.flow.sourcePort ?? null,
    destinationPortMax: ({ pair }: PairNode) => pair.flow.destinationPortMax ?? null,
    verdict: ({ pair }: PairNode) => pair.verdict,
    dropReason: ({ pair }: PairNode) => pair.dropReason,
    reachedDestination: ({ pair }: PairNode) => pair.reachedDestination,
    error: ({ pair }: PairNode) => pair.error,
    replyVerdict: ({ pair }: PairNode) => pair.replyVerdict,
    replyDropReason: ({ pair }: PairNode) => pair.replyDropReason,
    refusedPort: ({ pair }: PairNode) => pair.refusedPort,
    portsRefused: ({ pair }: PairNode) => pair.portsRefused,
    path: ({ pair, report }: PairNode) => report.pathOf(pair),
  },
};

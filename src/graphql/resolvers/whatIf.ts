// whatIf and impact: thin over the services.
import type { Context } from '../context.js';
import { authorizeChange, ruleFor, viewerOf } from '../authorization.js';
import { badUserInput } from '../errors.js';
import type { FlowProtocol } from '../../domain/firewall/index.js';
import { endpointRef, flowOf, PathInputError, rangeFlowOf, type EndpointInput } from '../../services/path.js';
import { runWhatIf, WHAT_IF_CHANGES, type PathPair, type SetCheck, type WhatIfAsker, type WhatIfChange, type WhatIfChangeName } from '../../services/whatIf.js';
import { hostImpact } from '../../services/impact.js';
import { setOf, type SetArg } from './analysis.js';

type FlowArg = { protocol?: FlowProtocol | null; destinationPort?: number | null; sourcePort?: number | null; destinationPortMax?: number | null } | null;
export interface CheckArg {
  paths?: { from: EndpointInput; to: EndpointInput; flow?: FlowArg }[] | null;
  projectId?: string | null;
  projectFlow?: FlowArg;
  sets?: { sources: SetArg; destinations: SetArg; flows?: FlowArg[] | null }[] | null;
}

const label = (e: EndpointInput) => e.instance ?? e.portId ?? e.ipAddress ?? '';

/** The one key a @oneOf ChangeInput carries. */
function changeOf(change: Record<string, unknown>): WhatIfChange {
  const [mutation] = Object.keys(change) as WhatIfChangeName[];
  if (!WHAT_IF_CHANGES.includes(mutation)) throw badUserInput(`${mutation} cannot be part of a what-if`);
  return { mutation, input: change[mutation] };
}

export function pairsOf(check: CheckArg | null | undefined): PathPair[] {
  return (check?.paths ?? []).map((p, i) => ({
    from: endpointRef(p.from, `check.paths[${i}].from`),
    to: endpointRef(p.to, `check.paths[${i}].to`),
    flow: flowOf(p.flow),
    fromLabel: label(p.from),
    toLabel: label(p.to),
  }));
}

/** check.sets as the service takes them: a question without flows asks one flow of any protocol, as reachability does. */
function setChecksOf(check: CheckArg | null | undefined): SetCheck[] {
  return (check?.sets ?? []).map((set, i) => ({
    sources: setOf(set.sources, `check.sets[${i}].sources`),
    destinations: setOf(set.destinations, `check.sets[${i}].destinations`),
    flows: (set.flows?.length ? set.flows : [null]).map(rangeFlowOf),
  }));
}

export const whatIfResolvers = {
  Query: {
    whatIf: async (_: unknown, args: { changes: Record<string, unknown>[]; check?: CheckArg | null }, ctx: Context) => {
      try {
        const changes = args.changes.map(changeOf);
        // A change the token may not make at all refuses the what-if before it starts.
        for (const change of changes) ruleFor(change.mutation, ctx);
        const check = { pairs: pairsOf(args.check), projectId: args.check?.projectId ?? null, projectFlow: flowOf(args.check?.projectFlow), sets: setChecksOf(args.check) };
        const asker: WhatIfAsker = {
          viewer: viewerOf(ctx),
          // In the what-if's transaction, so that its earlier changes count.
          authorize: (change, tx) => authorizeChange(change.mutation, change.input as object, ctx, tx),
        };
        return await runWhatIf(ctx.db.prisma, ctx.config, changes, check, asker);
      } catch (error) {
        if (error instanceof PathInputError) throw badUserInput(error.message);
        throw error;
      }
    },
    impact: (_: unknown, { hostName }: { hostName: string }, ctx: Context) => hostImpact(ctx.db.prisma, ctx.config, hostName),
  },
};

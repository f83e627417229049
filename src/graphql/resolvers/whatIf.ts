// whatIf and impact: thin over the services.
import type { Context } from '../context.js';
import { badUserInput } from '../errors.js';
import { endpointRef, flowOf, PathInputError, type EndpointInput } from '../../services/path.js';
import { runWhatIf, WHAT_IF_CHANGES, type PathPair, type WhatIfChange, type WhatIfChangeName } from '../../services/whatIf.js';
import { hostImpact } from '../../services/impact.js';

type FlowArg = { protocol?: 'ANY' | 'TCP' | 'UDP' | 'ICMP' | null; destinationPort?: number | null } | null;
interface CheckArg {
  paths?: { from: EndpointInput; to: EndpointInput; flow?: FlowArg }[] | null;
  projectId?: string | null;
  projectFlow?: FlowArg;
}

const label = (e: EndpointInput) => e.instance ?? e.portId ?? e.ipAddress ?? '';

/** The one key a @oneOf ChangeInput carries. */
function changeOf(change: Record<string, unknown>): WhatIfChange {
  const [mutation] = Object.keys(change) as WhatIfChangeName[];
  if (!WHAT_IF_CHANGES.includes(mutation)) throw badUserInput(`${mutation} cannot be part of a what-if`);
  return { mutation, input: change[mutation] };
}

function pairsOf(check: CheckArg | null | undefined): PathPair[] {
  return (check?.paths ?? []).map((p, i) => ({
    from: endpointRef(p.from, `check.paths[${i}].from`),
    to: endpointRef(p.to, `check.paths[${i}].to`),
    flow: flowOf(p.flow),
    fromLabel: label(p.from),
    toLabel: label(p.to),
  }));
}

export const whatIfResolvers = {
  Query: {
    whatIf: async (_: unknown, args: { changes: Record<string, unknown>[]; check?: CheckArg | null }, ctx: Context) => {
      try {
        const check = { pairs: pairsOf(args.check), projectId: args.check?.projectId ?? null, projectFlow: flowOf(args.check?.projectFlow) };
        return await runWhatIf(ctx.db.prisma, ctx.config, args.changes.map(changeOf), check);
      } catch (error) {
        if (error instanceof PathInputError) throw badUserInput(error.message);
        throw error;
      }
    },
    impact: (_: unknown, { hostName }: { hostName: string }, ctx: Context) => hostImpact(ctx.db.prisma, ctx.config, hostName),
  },
};

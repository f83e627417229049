// quotas: a project's limits and usage, for the token's own project or, for
// an admin, the one named.
import type { Context } from '../context.js';
import { forbidden } from '../authorization.js';
import { badUserInput } from '../errors.js';
import { quotaUsage } from '../../services/quotas.js';
import { PROJECT_ID_RE } from '../../services/validate.js';

export const quotaResolvers = {
  Query: {
    quotas: (_: unknown, { projectId }: { projectId?: string | null }, ctx: Context) => {
      const own = ctx.auth.projectId;
      const project = projectId ?? own;
      if (project === null) throw badUserInput('an admin token belongs to no project: give projectId');
      if (!PROJECT_ID_RE.test(project)) throw badUserInput(`'${project}' is not a project id`);
      if (!ctx.auth.canRead(project)) throw forbidden(`a token of project ${own} cannot read the quotas of project '${project}'`);
      return quotaUsage(ctx.db.prisma, project);
    },
  },
};

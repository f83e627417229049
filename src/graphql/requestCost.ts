// What one request has cost so far: its query's estimate, then the work its
// analyses found once their sets were resolved. Each charge is held to the
// request's limit (MAX_QUERY_COST) and taken from its token's budget.
import { WorkRefused } from '../services/requestWork.js';
import type { CostBudget } from './costBudget.js';

/** The budget's key while authentication is off: everyone shares it. */
export const UNAUTHENTICATED_KEY = 'auth-off';

export class RequestCost {
  spent = 0;
  /** Whose budget pays: the token's id. */
  payer = UNAUTHENTICATED_KEY;

  constructor(private readonly maxCost: number, private readonly budget: CostBudget) {}

  /** Bills `cost` for `what`; throws WorkRefused (COST_LIMIT_EXCEEDED, RATE_LIMITED) and bills nothing when it may not. */
  charge(cost: number, what: string): void {
    const total = this.spent + cost;
    if (total > this.maxCost) {
      throw new WorkRefused('COST_LIMIT_EXCEEDED', `${what} brings this request's cost to ${total}, above the limit of ${this.maxCost} (MAX_QUERY_COST)`);
    }
    const answer = this.budget.take(this.payer, cost);
    if (!answer.granted) {
      throw new WorkRefused(
        'RATE_LIMITED',
        `${what} costs ${cost}, more than is left of this token's budget of ${this.budget.perMinute} per minute (COST_BUDGET_PER_MINUTE); retry after ${answer.retryAfterSeconds} s`,
        answer.retryAfterSeconds,
      );
    }
    this.spent = total;
  }
}

// The change log's and live feeds' settings (README, "Configuration").

/** WEBHOOK_PRIVATE_TARGETS: whose webhooks may deliver to addresses that are not public (src/domain/publicAddress.ts). */
export const PRIVATE_TARGETS = ['admin', 'all', 'none'] as const;
export type PrivateTargets = (typeof PRIVATE_TARGETS)[number];

export interface LiveConfig {
  /** CHANGES_RETENTION_DAYS: how long the change log keeps a change set. */
  retentionDays: number;
  /** CHANGES_PRUNE_INTERVAL_MS: how often the pruner looks for expired change sets. */
  pruneIntervalMs: number;
  /** MAX_SUBSCRIPTIONS_PER_CONNECTION: subscriptions one WebSocket may hold open. */
  maxSubscriptionsPerConnection: number;
  /** MAX_SUBSCRIPTIONS: subscriptions this process holds open in all. */
  maxSubscriptions: number;
  /** SUBSCRIPTION_MAX_BUFFERED_BYTES: what a client may leave unread before it is dropped. */
  maxBufferedBytes: number;
  /** WEBHOOK_RETRY_FOR_MS: how long a failing delivery is retried before the webhook gives it up. */
  webhookRetryForMs: number;
  /** WEBHOOK_RETRY_BASE_MS: the first retry's delay; each next one doubles it (up to an hour). */
  webhookRetryBaseMs: number;
  /** WEBHOOK_PRIVATE_TARGETS: 'admin' (an admin's webhooks only, or every one with AUTH=off), 'all' or 'none'. */
  webhookPrivateTargets: PrivateTargets;
}

type IntFrom = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) => number;
type ChoiceFrom = <C extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly C[], fallback: C) => C;

export function liveConfigFrom(env: NodeJS.ProcessEnv, intFrom: IntFrom, choiceFrom: ChoiceFrom): LiveConfig {
  return {
    retentionDays: intFrom(env, 'CHANGES_RETENTION_DAYS', 30, 0, 36_500),
    pruneIntervalMs: intFrom(env, 'CHANGES_PRUNE_INTERVAL_MS', 60_000, 100, 86_400_000),
    maxSubscriptionsPerConnection: intFrom(env, 'MAX_SUBSCRIPTIONS_PER_CONNECTION', 100, 1, 100_000),
    maxSubscriptions: intFrom(env, 'MAX_SUBSCRIPTIONS', 10_000, 1, 1_000_000),
    maxBufferedBytes: intFrom(env, 'SUBSCRIPTION_MAX_BUFFERED_BYTES', 4_194_304, 1024, 1_073_741_824),
    webhookRetryForMs: intFrom(env, 'WEBHOOK_RETRY_FOR_MS', 86_400_000, 0, 604_800_000),
    webhookRetryBaseMs: intFrom(env, 'WEBHOOK_RETRY_BASE_MS', 1000, 10, 3_600_000),
    webhookPrivateTargets: choiceFrom(env, 'WEBHOOK_PRIVATE_TARGETS', PRIVATE_TARGETS, 'admin'),
  };
}

// createWebhook, deleteWebhook and Query.webhooks; deliveries are
// src/live/webhooks.ts's. A webhook's secret never leaves the database.
import type { Webhook } from '../../generated/prisma/client.js';
import type { Context } from '../context.js';
import { viewerOf } from '../authorization.js';
import { mutation, payloadOf } from '../../services/transaction.js';
import { attemptsOf, createWebhook, deleteWebhook, listWebhooks, type CreateWebhookInput } from '../../services/webhooks/manage.js';

const caller = (ctx: Context) => ({ project: viewerOf(ctx) });

export const webhookResolvers = {
  Query: {
    webhooks: (_: unknown, __: unknown, ctx: Context) => listWebhooks(ctx.db.prisma, caller(ctx)),
  },
  Mutation: {
    createWebhook: (_: unknown, { input }: { input: CreateWebhookInput }, ctx: Context) =>
      payloadOf('webhook', () => createWebhook(ctx.db.prisma, input, caller(ctx), ctx.config.live.webhookPrivateTargets)),
    deleteWebhook: (_: unknown, { input }: { input: { id: string } }, ctx: Context) =>
      mutation(ctx.db.prisma, 'deletedId', (tx) => deleteWebhook(tx, input.id, caller(ctx))),
  },
  Webhook: {
    deliveredThrough: (webhook: Webhook) => webhook.cursor,
    attempts: (webhook: Webhook, { last }: { last: number }, ctx: Context) => attemptsOf(ctx.db.prisma, webhook.id, Math.max(0, Math.min(last, 500))),
  },
};

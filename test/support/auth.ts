// The roles of the authorization tests and their tokens on a test server
// started with AUTH=on.
import { createToken } from '../../src/auth/tokenStore.js';
import type { GraphQLResponse, TestServer } from './testServer.js';

export const PROJECT_A = 'proj-a';
export const PROJECT_B = 'proj-b';

export const ROLES = ['admin', 'A', 'A-ro', 'B', 'none'] as const;
export type Role = (typeof ROLES)[number];

export type RoleTokens = Record<Role, string | null>;

export async function roleTokens(s: TestServer): Promise<RoleTokens> {
  const project = async (projectId: string, readOnly: boolean) =>
    (await createToken(s.db.prisma, { admin: false, projectId, readOnly, name: `${projectId}${readOnly ? ' ro' : ''}` })).secret;
  return { admin: s.adminToken, A: await project(PROJECT_A, false), 'A-ro': await project(PROJECT_A, true), B: await project(PROJECT_B, false), none: null };
}

/** Sends a request as `role` (no Authorization header at all for 'none'). */
export async function requestAs(s: TestServer, token: string | null, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GraphQLResponse }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(s.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as GraphQLResponse };
}

export const codesOf = (body: GraphQLResponse) => (body.errors ?? []).map((e) => e.extensions?.code);

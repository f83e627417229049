// The page's only way to the server: POST /graphql with the signed-in token.
import { storedToken } from './session';

export class ApiError extends Error {
  constructor(message: string, readonly code: string | null) {
    super(message);
  }
}

const endpoint = new URL('graphql', new URL('./', location.href)).toString();

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, token = storedToken()): Promise<T> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json().catch(() => null)) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | null;
  if (!body) throw new ApiError(`the server answered HTTP ${res.status}`, null);
  if (body.errors?.length) throw new ApiError(body.errors.map((e) => e.message).join('; '), body.errors[0].extensions?.code ?? null);
  return body.data as T;
}

/**
 * Every node of a connection, page by page. The API prices a page at its
 * size times what each node selects (MAX_QUERY_COST, 50,000 by default), so
 * a rich selection asks for smaller pages.
 */
export async function allNodes<T>(field: string, selection: string, filter: Record<string, unknown> | null, filterType: string, pageSize = 500): Promise<T[]> {
  const nodes: T[] = [];
  let after: string | null = null;
  for (;;) {
    const query = `query($after: String, $filter: ${filterType}) { ${field}(first: ${pageSize}, after: $after, filter: $filter) { nodes { ${selection} } pageInfo { hasNextPage endCursor } } }`;
    const data: Record<string, { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> = await gql(query, { after, filter });
    nodes.push(...data[field].nodes);
    if (!data[field].pageInfo.hasNextPage) return nodes;
    after = data[field].pageInfo.endCursor;
  }
}

/** Who the token is: an admin sees hosts; a project token is refused them. */
export interface Viewer {
  admin: boolean;
  projects: string[];
}

export async function whoAmI(token: string | null): Promise<Viewer> {
  const projects = async () => {
    const data = await gql<{ instances: { nodes: { projectId: string }[] }; networks: { nodes: { projectId: string; external: boolean }[] } }>(
      '{ instances(first: 500) { nodes { projectId } } networks(first: 500) { nodes { projectId external } } }',
      {},
      token,
    );
    const ids = [...data.instances.nodes.map((n) => n.projectId), ...data.networks.nodes.filter((n) => !n.external).map((n) => n.projectId)];
    return [...new Set(ids)].sort();
  };
  // Both at once: a page load waits for this before it draws anything.
  const [admin, seen] = await Promise.allSettled([gql('{ hosts(first: 1) { totalCount } }', {}, token), projects()]);
  if (seen.status === 'rejected') throw seen.reason;
  if (admin.status === 'fulfilled') return { admin: true, projects: seen.value };
  if (admin.reason instanceof ApiError && admin.reason.code === 'FORBIDDEN') return { admin: false, projects: seen.value };
  throw admin.reason;
}

// A GraphQL client over HTTP, as a dashboard backend would be: one POST per
// request on kept-alive connections (node:http, lighter per request than
// fetch, so that the figures are the server's more than the client's). Any
// GraphQL error stops the benchmark: timings of failed requests mean nothing.
import http from 'node:http';

export interface Answer<T> {
  data: T;
  /** SQL statements the server ran for this request (extensions.sqlStatements). */
  statements: number;
}

interface Body<T> {
  data?: T;
  errors?: { message: string }[];
  extensions?: { sqlStatements?: number };
}

export class GraphQLClient {
  private readonly url: URL;
  private readonly agent: http.Agent;

  constructor(url: string, connections = 8) {
    this.url = new URL(url);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  }

  async request<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<Answer<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const { status, body } = await this.post<T>(JSON.stringify({ query, variables }));
    if (body.errors?.length || !body.data) {
      throw new Error(`GraphQL error (HTTP ${status}): ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
    }
    const statements = body.extensions?.sqlStatements;
    if (typeof statements !== 'number') throw new Error('the server did not report extensions.sqlStatements (start it with sqlStats)');
    return { data: body.data, statements };
  }

  close(): void {
    this.agent.destroy();
  }

  private post<T>(payload: string): Promise<{ status: number; body: Body<T> }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        this.url,
        { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            try {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body<T> });
            } catch {
              reject(new Error(`HTTP ${res.statusCode}: the answer is not JSON`));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}

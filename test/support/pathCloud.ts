// The demo cloud, built through a test server.
import { buildDemoCloud, type DemoCloud } from '../../src/commands/demoCloud.js';
import type { TestServer } from './testServer.js';

export type PathCloud = DemoCloud;

export const buildPathCloud = (s: TestServer): Promise<PathCloud> => buildDemoCloud((query, variables) => s.gql(query, variables));

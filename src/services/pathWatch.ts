// A path traced for a watcher: the path, and what it depends on.
import { indexFor, tracePath, type EndpointRef, type Flow, type PathResult } from '../domain/path/index.js';
import { loadPathSnapshot } from '../store/pathSnapshot.js';
import { dependenciesOf, type PathDependencies } from '../live/pathWatch.js';
import type { Db } from './transaction.js';

export async function traceWatched(db: Db, from: EndpointRef, to: EndpointRef, flow: Flow, viewer: string | null): Promise<{ path: PathResult; dependsOn: PathDependencies }> {
  const { topology } = await loadPathSnapshot(db, [from, to]);
  return { path: tracePath(indexFor(topology, viewer), from, to, flow, viewer), dependsOn: dependenciesOf(topology, [from, to]) };
}

// nova's servers -> Instance rows on the host OS-EXT-SRV-ATTR:host names.
import type { ObjectReader } from './fields.js';
import type { InstanceRow } from './model.js';

export const SERVER_HOST = 'OS-EXT-SRV-ATTR:host';

export function readServer(reader: ObjectReader, id: string, hostIdOf: (name: string) => string | undefined): InstanceRow | undefined {
  const name = reader.string('name', '');
  const projectId = reader.project();
  const hostName = reader.optionalString(SERVER_HOST);
  if (name === undefined || projectId === undefined || hostName === undefined) return undefined;
  let hostId: string | null = null;
  if (hostName) {
    const found = hostIdOf(hostName);
    if (!found) {
      reader.problem([SERVER_HOST], `host '${hostName}' is not a host of the document (no agent runs there) or of the database`, 'NOT_FOUND');
      return undefined;
    }
    hostId = found;
  }
  return { id, name, projectId, hostId, createdAt: reader.createdAt('created') };
}

// The local VLAN a host's agent gives, through the API on a real database:
// the same cases the domain rule is tested with (test/support/localVlanCases.ts).
import { FreeVlanSet } from '../../src/domain/localVlans.js';
import { poolColumns } from '../../src/services/localVlanPool.js';
import { LOCAL_VLAN_CASES } from '../support/localVlanCases.js';
import { createNetwork, createPort, registerHost, USER_ERRORS } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.stop());

let vni = 5000;

describe('local VLAN cases through the API', () => {
  it.each(LOCAL_VLAN_CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_, c, i) => {
    const host = await registerHost(s, `rule-${i}`, `10.30.0.${i + 1}`);
    if (c.inUse?.length) {
      // Networks already wired on the host when its agent started: rows written directly, no stored set.
      await s.db.prisma.$executeRawUnsafe(
        `INSERT INTO "Network" (id, name, "projectId", "networkType", mtu)
         SELECT md5('rule-${i}-' || v)::uuid, 'rule-${i}-' || v, 'filler', 'VXLAN', 1450 FROM unnest($1::int[]) v`,
        c.inUse,
      );
      await s.db.prisma.$executeRawUnsafe(
        `INSERT INTO "LocalVlan" ("hostId", "networkId", vlan) SELECT $1::uuid, md5('rule-${i}-' || v)::uuid, v FROM unnest($2::int[]) v`,
        host.id,
        c.inUse,
      );
    }
    if (c.poppedBefore) {
      const set = FreeVlanSet.fresh();
      for (let n = 0; n < c.poppedBefore; n++) set.pop();
      const p = poolColumns(set);
      await s.db.prisma.$executeRawUnsafe(
        `INSERT INTO "LocalVlanPool" ("hostId", finger, mask, fill, used, changed) VALUES ($1::uuid, $2, $3, $4, $5, $6::int[])`,
        host.id, p.finger, p.mask, p.fill, p.used, p.changed,
      );
    }
    const ports = new Map<string, string>();
    const vlans: (number | null)[] = [];
    for (const step of c.steps) {
      const name = `rule-${i}-${step.slice(1)}`;
      if (step.startsWith('-')) {
        const data = await s.gql(`mutation($i: UnbindPortInput!) { unbindPort(input: $i) { port { localVlan } ${USER_ERRORS} } }`, { i: { portId: ports.get(name) } });
        expect(data.unbindPort.userErrors).toEqual([]);
        continue;
      }
      const network = await createNetwork(s, { name, networkType: 'VXLAN', segmentationId: vni++ });
      const port = await createPort(s, { networkId: network.id });
      ports.set(name, port.id);
      const data = await s.gql(`mutation($i: BindPortInput!) { bindPort(input: $i) { port { localVlan } ${USER_ERRORS} } }`, { i: { portId: port.id, hostName: host.name } });
      if (data.bindPort.userErrors.length) expect(data.bindPort.userErrors[0].code).toBe('EXHAUSTED');
      vlans.push(data.bindPort.port?.localVlan ?? null);
    }
    expect(vlans).toEqual(c.vlans);
  });
});

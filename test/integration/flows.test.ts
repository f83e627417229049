// The OVS and DHCP agents' settings of a host, end to end, and what they do
// to br-tun: registered, shown, exported and imported again; flows with and
// without l2population.
import { exportDocument } from '../../src/services/export.js';
import { registerHost, USER_ERRORS } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let s: TestServer;

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.stop());

const SETTINGS = 'l2Population arpResponder enableIsolatedMetadata';

describe('host agent settings', () => {
  it("registers a host with Neutron's defaults when it names none", async () => {
    await registerHost(s, 'plain-1', '10.1.0.1');
    const { host } = await s.gql(`{ host(name: "plain-1") { ${SETTINGS} } }`);
    expect(host).toEqual({ l2Population: false, arpResponder: false, enableIsolatedMetadata: false });
  });

  it('keeps the settings it is given', async () => {
    const data = await s.gql(
      `mutation($i: RegisterHostInput!) { registerHost(input: $i) { host { ${SETTINGS} } ${USER_ERRORS} } }`,
      { i: { name: 'set-1', tunnelIp: '10.1.0.2', roles: ['NETWORK'], l2Population: true, arpResponder: true, enableIsolatedMetadata: true } },
    );
    expect(data.registerHost).toEqual({ host: { l2Population: true, arpResponder: true, enableIsolatedMetadata: true }, userErrors: [] });
  });

  it('exports them in the agents configurations and imports them back', async () => {
    const doc = await exportDocument(s.db.prisma);
    const agents = (doc as Json).agents as Json[];
    const ovs = agents.find((a) => a.host === 'set-1' && a.agent_type === 'Open vSwitch agent');
    const dhcp = agents.find((a) => a.host === 'set-1' && a.agent_type === 'DHCP agent');
    expect(ovs.configurations).toMatchObject({ l2_population: true, arp_responder_enabled: true });
    expect(dhcp.configurations).toMatchObject({ enable_isolated_metadata: true });
    const plain = agents.find((a) => a.host === 'plain-1' && a.agent_type === 'Open vSwitch agent');
    expect(plain.configurations).toMatchObject({ l2_population: false, arp_responder_enabled: false });

    const other = await startTestServer();
    try {
      const imported = await other.gql(
        `mutation($i: ImportNeutronInput!) { importNeutron(input: $i) { ${USER_ERRORS} } }`,
        { i: { document: doc, mode: 'MERGE' } },
      );
      expect(imported.importNeutron.userErrors).toEqual([]);
      const { set, plain: p } = await other.gql(`{ set: host(name: "set-1") { ${SETTINGS} } plain: host(name: "plain-1") { ${SETTINGS} } }`);
      expect(set).toEqual({ l2Population: true, arpResponder: true, enableIsolatedMetadata: true });
      expect(p).toEqual({ l2Population: false, arpResponder: false, enableIsolatedMetadata: false });
    } finally {
      await other.stop();
    }
  });

  it('imports an OVS agent that reports l2population without the ARP responder', async () => {
    const doc = {
      agents: [
        {
          agent_type: 'Open vSwitch agent',
          host: 'imported-1',
          alive: true,
          configurations: { tunneling_ip: '10.1.0.9', bridge_mappings: {}, l2_population: true, arp_responder_enabled: false },
        },
      ],
    };
    const imported = await s.gql(`mutation($i: ImportNeutronInput!) { importNeutron(input: $i) { ${USER_ERRORS} } }`, { i: { document: doc, mode: 'MERGE' } });
    expect(imported.importNeutron.userErrors).toEqual([]);
    const { host } = await s.gql(`{ host(name: "imported-1") { ${SETTINGS} } }`);
    expect(host).toEqual({ l2Population: true, arpResponder: false, enableIsolatedMetadata: false });
  });
});

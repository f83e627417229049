// The OVS and DHCP agents' settings of a host, end to end, and what they do
// to br-tun: registered, shown, exported and imported again; flows with and
// without l2population.
import { exportDocument } from '../../src/services/export.js';
import { bootInstance, createNetwork, createSubnet, registerHost, USER_ERRORS } from '../support/fixtures.js';
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
    expect(ovs?.configurations).toMatchObject({ l2_population: true, arp_responder_enabled: true });
    expect(dhcp?.configurations).toMatchObject({ enable_isolated_metadata: true });
    const plain = agents.find((a) => a.host === 'plain-1' && a.agent_type === 'Open vSwitch agent');
    expect(plain?.configurations).toMatchObject({ l2_population: false, arp_responder_enabled: false });

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

const FLOWS = `query($h: String!, $b: String!) { host(name: $h) { flows(bridge: $b) { cookie table priority match actions } dumpFlows(bridge: $b) } }`;
type FlowOut = { cookie: string; table: number; priority: number; match: string; actions: string };
const flowsOf = async (h: string, b = 'br-tun') => (await s.gql(FLOWS, { h, b })).host as { flows: FlowOut[]; dumpFlows: string };
const table = (flows: FlowOut[], t: number) => flows.filter((f) => f.table === t).map((f) => `${f.priority} ${f.match} ${f.actions}`);

describe('br-tun without and with l2population', () => {
  const l2pop = { l2Population: true, arpResponder: true };
  beforeAll(async () => {
    // Three hosts without l2population (Neutron's default) and two with it.
    await registerHost(s, 'flood-1', '10.2.0.1');
    await registerHost(s, 'flood-2', '10.2.0.2');
    await registerHost(s, 'flood-3', '10.2.0.3', ['NETWORK']);
    await registerHost(s, 'pop-1', '10.2.0.11', ['COMPUTE'], l2pop);
    await registerHost(s, 'pop-2', '10.2.0.12', ['COMPUTE'], l2pop);
    const shared = await createNetwork(s, { name: 'shared', segmentationId: 0x51 });
    await createSubnet(s, { networkId: shared.id, cidr: '10.51.0.0/24', enableDhcp: false });
    const lonely = await createNetwork(s, { name: 'alone', segmentationId: 0x52 });
    await createSubnet(s, { networkId: lonely.id, cidr: '10.52.0.0/24', enableDhcp: false });
    await bootInstance(s, { name: 'f1', hostName: 'flood-1', networks: [{ networkId: shared.id, fixedIp: '10.51.0.5' }] });
    await bootInstance(s, { name: 'f2', hostName: 'flood-2', networks: [{ networkId: shared.id, fixedIp: '10.51.0.6' }] });
    await bootInstance(s, { name: 'p1', hostName: 'pop-1', networks: [{ networkId: shared.id, fixedIp: '10.51.0.7' }] });
    await bootInstance(s, { name: 'p1-alone', hostName: 'pop-1', networks: [{ networkId: lonely.id, fixedIp: '10.52.0.5' }] });
  });

  it('without l2population: a tunnel to every other host, flooding to all, table 20 left to learning, no ARP responder', async () => {
    const { flows } = await flowsOf('flood-1');
    const peers = ['10.1.0.1', '10.1.0.2', '10.1.0.9', '10.2.0.2', '10.2.0.3', '10.2.0.11', '10.2.0.12'];
    const ports = peers.map((ip) => `vxlan-${ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('')}`);
    expect(table(flows, 0)).toEqual([
      '1 in_port="patch-int" resubmit(,2)',
      ...ports.map((p) => `1 in_port="${p}" resubmit(,4)`),
      '0  drop',
    ]);
    expect(table(flows, 22)).toEqual([
      `1 dl_vlan=1 strip_vlan,load:0x51->NXM_NX_TUN_ID[],${ports.map((p) => `output:"${p}"`).join(',')}`,
      '0  drop',
    ]);
    expect(table(flows, 20)).toEqual(['0  resubmit(,22)']);
    expect(table(flows, 21)).toEqual([]);
    expect(table(flows, 2).some((f) => f.includes('resubmit(,21)'))).toBe(false);
    const { host } = await s.gql(`{ host(name: "flood-3") { bridges { name ports { name } } } }`);
    const brTun = host.bridges.find((b: { name: string }) => b.name === 'br-tun');
    // A network node with no port yet still has its tunnels: the agent makes them at start.
    expect(brTun.ports.map((p: { name: string }) => p.name)).toContain('vxlan-0a020001');
  });

  it('with l2population: tunnels to the hosts of shared networks, FDB and ARP entries for their ports', async () => {
    const { flows } = await flowsOf('pop-1');
    expect(table(flows, 0)).toEqual([
      '1 in_port="patch-int" resubmit(,2)',
      '1 in_port="vxlan-0a020001" resubmit(,4)',
      '1 in_port="vxlan-0a020002" resubmit(,4)',
      '0  drop',
    ]);
    expect(table(flows, 21)).toContainEqual(expect.stringMatching(/^1 arp,dl_vlan=1,arp_tpa=10\.51\.0\.5 load:0x2->NXM_OF_ARP_OP\[\]/));
    expect(table(flows, 22)).toEqual([
      '1 dl_vlan=1 strip_vlan,load:0x51->NXM_NX_TUN_ID[],output:"vxlan-0a020001",output:"vxlan-0a020002"',
      // The network only this host has floods to the tunnel ports already on br-tun.
      '1 dl_vlan=2 strip_vlan,load:0x52->NXM_NX_TUN_ID[],output:"vxlan-0a020001",output:"vxlan-0a020002"',
      '0  drop',
    ]);
  });

  it('prints every flow with its bridge cookie, learn actions included', async () => {
    const { flows, dumpFlows } = await flowsOf('pop-1');
    const cookies = new Set(flows.map((f) => f.cookie));
    expect(cookies.size).toBe(1);
    const [cookie] = cookies;
    expect(cookie).toMatch(/^0x[0-9a-f]{1,16}$/);
    const lines = dumpFlows.trimEnd().split('\n');
    expect(lines).toHaveLength(flows.length);
    for (const line of lines) expect(line.startsWith(` cookie=${cookie}, table=`)).toBe(true);
    expect(lines).toContain(
      ` cookie=${cookie}, table=10, priority=2,arp,arp_tha=ff:ff:ff:ff:ff:ff actions=learn(table=20,hard_timeout=300,priority=1,cookie=${cookie},` +
        'NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:"patch-int"',
    );
    const brInt = await flowsOf('pop-1', 'br-int');
    expect(brInt.flows[0].cookie).not.toBe(cookie);
    expect(table(brInt.flows, 59)).toEqual(['0  resubmit(,60)']);
    expect(table(brInt.flows, 60)).toEqual(['1  NORMAL']);
  });

  it('shows the first packet flooding on br-tun in a path from a host without l2population', async () => {
    const PATH = `query($f: EndpointInput!, $t: EndpointInput!) { path(from: $f, to: $t) { verdict hops { host { name } device kind action } } }`;
    const { path } = await s.gql(PATH, { f: { instance: 'f1' }, t: { instance: 'f2' } });
    expect(path.verdict).toBe('DELIVERED');
    const brTun = path.hops.find((h: Json) => h.device === 'br-tun' && h.host?.name === 'flood-1');
    expect(brTun.action).toBe(
      // Seven other hosts have an IPv4 tunnel endpoint: flood-1 has a vxlan port to each.
      'strip VLAN 1, set tunnel 0x51, flood to all 7 vxlan tunnel ports (l2population off: the first packet floods, ' +
        'later ones follow the MAC learned in table 20), among them vxlan-0a020002',
    );
    expect(path.hops.find((h: Json) => h.kind === 'TUNNEL_PORT' && h.host?.name === 'flood-1').action).toBe('encapsulate the flooded copy to 10.2.0.2');
    const unicast = await s.gql(PATH, { f: { instance: 'p1' }, t: { instance: 'f1' } });
    expect(unicast.path.hops.find((h: Json) => h.device === 'br-tun' && h.host?.name === 'pop-1').action).toBe('strip VLAN 1, set tunnel 0x51');
  });
});

describe('IPv6 tunnel endpoints', () => {
  it('names the tunnel port by the BLAKE2b hash of the address and makes GRE an ip6gre interface', async () => {
    const l2pop = { l2Population: true, arpResponder: true };
    await registerHost(s, 'v6-1', '2001:db8::1', ['COMPUTE'], l2pop);
    await registerHost(s, 'v6-2', '2001:db8::2', ['COMPUTE'], l2pop);
    const gre = await createNetwork(s, { name: 'gre6', networkType: 'GRE', segmentationId: 300 });
    await createSubnet(s, { networkId: gre.id, cidr: '10.60.0.0/24', enableDhcp: false });
    await bootInstance(s, { name: 'g1', hostName: 'v6-1', networks: [{ networkId: gre.id }] });
    await bootInstance(s, { name: 'g2', hostName: 'v6-2', networks: [{ networkId: gre.id }] });
    const { host } = await s.gql(`{ host(name: "v6-1") { bridges { name ports { name type remoteIp } } ovsVsctlShow } }`);
    const brTun = host.bridges.find((b: { name: string }) => b.name === 'br-tun');
    // test_ovs_neutron_agent.py test_get_tunnel_name_gre_ipv6: gre-qtfsbtdewtq for 2001:db8::2.
    expect(brTun.ports).toContainEqual({ name: 'gre-qtfsbtdewtq', type: 'ip6gre', remoteIp: '2001:db8::2' });
    expect(host.ovsVsctlShow).toContain('packet_type=legacy_l2, remote_ip="2001:db8::2"');
    const { flows } = await flowsOf('v6-1');
    expect(table(flows, 0)).toContain('1 in_port="gre-qtfsbtdewtq" resubmit(,3)');
  });
});

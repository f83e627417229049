// The Open vSwitch firewall driver over HTTP: a host with firewallDriver
// OPENVSWITCH plugs its VM's tap straight into br-int (docs/neutron-model.md,
// "The Open vSwitch firewall driver").
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createSubnet, registerHost } from '../support/fixtures.js';

let s: TestServer;
let fwVm: { id: string; ports: { id: string }[] };
let hybridVm: { id: string; ports: { id: string }[] };
const short = (id: string) => id.slice(0, 11);

beforeAll(async () => {
  s = await startTestServer();
  const l2pop = { l2Population: true, arpResponder: true };
  await registerHost(s, 'compute-1', '10.0.0.11', ['COMPUTE'], l2pop);
  await registerHost(s, 'compute-3', '10.0.0.13', ['COMPUTE'], { ...l2pop, firewallDriver: 'OPENVSWITCH' });
  const net1 = await createNetwork(s, { name: 'net1', segmentationId: 0x39 });
  await createSubnet(s, { networkId: net1.id, cidr: '10.0.1.0/24', enableDhcp: false });
  fwVm = await bootInstance(s, { name: 'direct', hostName: 'compute-3', networks: [{ networkId: net1.id, fixedIp: '10.0.1.5' }] });
  hybridVm = await bootInstance(s, { name: 'bridged', hostName: 'compute-1', networks: [{ networkId: net1.id, fixedIp: '10.0.1.6' }] });
});
afterAll(async () => s?.stop());

describe('the plug', () => {
  it('puts the tap on br-int, with no qbr, qvb or qvo', async () => {
    const port = fwVm.ports[0].id;
    const data = await s.gql(`query($p: ID!) {
      host(name: "compute-3") { firewallDriver brctlShow ovsVsctlShow bridges { name ports { name type tag ofport } } }
      port: node(id: $p) { ... on Port { devices { name tap qbr qvb qvo } } } }`, { p: port });
    expect(data.host.firewallDriver).toBe('OPENVSWITCH');
    expect(data.port.devices).toEqual({ name: `tap${short(port)}`, tap: `tap${short(port)}`, qbr: null, qvb: null, qvo: null });
    expect(data.host.brctlShow).toBe('bridge name\tbridge id\t\tSTP enabled\tinterfaces\n');
    const brInt = data.host.bridges.find((b: { name: string }) => b.name === 'br-int');
    expect(brInt.ports).toContainEqual({ name: `tap${short(port)}`, type: 'system', tag: 1, ofport: 3 });
    expect(brInt.ports.map((p: { name: string }) => p.name)).not.toContain(`qvo${short(port)}`);
    expect(data.host.ovsVsctlShow).toContain(`        Port tap${short(port)}\n            tag: 1\n            Interface tap${short(port)}\n`);
  });

  it('leaves a hybrid host as it was', async () => {
    const port = hybridVm.ports[0].id;
    const data = await s.gql(`query($p: ID!) { host(name: "compute-1") { firewallDriver brctlShow } port: node(id: $p) { ... on Port { devices { tap qbr qvb qvo } } } }`, { p: port });
    expect(data.host.firewallDriver).toBe('IPTABLES_HYBRID');
    expect(data.port.devices).toEqual({ tap: `tap${short(port)}`, qbr: `qbr${short(port)}`, qvb: `qvb${short(port)}`, qvo: `qvo${short(port)}` });
    expect(data.host.brctlShow).toContain(`qbr${short(port)}`);
  });
});

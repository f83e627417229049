// The firewall driver through import and export (docs/neutron-model.md, "The
// Open vSwitch firewall driver"): the agent's ovs_hybrid_plug, else the
// bound ports' binding:vif_details.ovs_hybrid_plug, else the hybrid driver.
import { toNeutron } from '../../../src/domain/import/toNeutron.js';
import { loadFixture, plan } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ovsAgent = (doc: Json, host: string) => doc.agents.find((a: Json) => a.host === host && a.agent_type === 'Open vSwitch agent');
const portsOn = (doc: Json, host: string) => doc.ports.filter((p: Json) => p['binding:host_id'] === host);
const driverOf = (doc: Json, host: string) => [...plan(doc).cloud.hosts.values()].find((h) => h.name === host)?.firewallDriver;

/** compute2 under the OVS firewall, as Neutron reports it: the agent and every port bound there. */
function withOvsFirewall(agentSays: boolean | undefined, portsSay: boolean): Json {
  const doc = loadFixture();
  const agent = ovsAgent(doc, 'compute2');
  if (agentSays === undefined) delete agent.configurations.ovs_hybrid_plug;
  else agent.configurations.ovs_hybrid_plug = agentSays;
  for (const port of portsOn(doc, 'compute2')) port['binding:vif_details'].ovs_hybrid_plug = portsSay;
  return doc;
}

describe('the firewall driver on import', () => {
  it.each([
    ['the agent reports ovs_hybrid_plug false', false, false, 'OPENVSWITCH'],
    ['the agent says nothing and the ports are bound with ovs_hybrid_plug false', undefined, false, 'OPENVSWITCH'],
    ['the agent reports true, whatever older bindings say', true, false, 'IPTABLES_HYBRID'],
    ['nothing says otherwise', undefined, true, 'IPTABLES_HYBRID'],
  ])('%s', (_, agentSays, portsSay, driver) => {
    expect(driverOf(withOvsFirewall(agentSays, portsSay), 'compute2')).toBe(driver);
    expect(driverOf(withOvsFirewall(agentSays, portsSay), 'compute1')).toBe('IPTABLES_HYBRID');
  });
});

describe('the firewall driver on export', () => {
  it('writes ovs_hybrid_plug false in the agent and in the vif_details of the ports bound there, and reads back the same', () => {
    const exported = toNeutron(plan(withOvsFirewall(undefined, false)).cloud) as Json;
    expect(ovsAgent(exported, 'compute2').configurations.ovs_hybrid_plug).toBe(false);
    expect(ovsAgent(exported, 'compute1').configurations.ovs_hybrid_plug).toBe(true);
    expect(portsOn(exported, 'compute2').map((p: Json) => p['binding:vif_details'].ovs_hybrid_plug)).toEqual(portsOn(exported, 'compute2').map(() => false));
    expect(portsOn(exported, 'compute1').every((p: Json) => p['binding:vif_details'].ovs_hybrid_plug === true)).toBe(true);
    expect(toNeutron(plan(exported).cloud)).toEqual(exported);
  });
});

// Derived host plumbing: OVS bridges and ports, OpenFlow tables, and the
// agents' namespaces, all computed from a topology snapshot and a host id.
export { hostBridges, physBridgeNames, type Bridge, type BridgePort, type BridgePortType } from './bridges.js';
export { renderOvsVsctlShow, ovsdbString, openVswitchUuid, OVS_VERSION, type OvsVsctlShowOptions } from './ovsVsctlShow.js';
export { flow, ofPort, sortFlows, withCookie, type Flow, type FlowRule } from './flow.js';
export {
  brIntFlows, dropPort, installArpSpoofingProtection, installIcmpv6NaSpoofingProtection, intDefaultTable, intProvisionLocalVlan,
  linkLocalAddress, setAllowedMacsForPort,
} from './brIntFlows.js';
export {
  arpResponder, arpResponderActions, brTunFlows, defaultTable, floodToTun, learnActions, learnFlows, provisionLocalVlan, setupTunnelPort,
  TUN_TABLE, unicastToTun,
} from './brTunFlows.js';
export { bridgeCookie } from './cookies.js';
export { physBridgeFlows, physDefaultTable, physDropPort, physProvisionLocalVlan } from './physBridgeFlows.js';
export { hostFlows } from './hostFlows.js';
export { renderDumpFlows, renderFlow } from './dumpFlows.js';
export { hostNamespaces, type Namespace, type NamespaceInterface, type NamespaceRoute } from './namespaces.js';
export { hostLinuxBridges, renderBrctlShow, qvbMac, tapMac, type LinuxBridge } from './brctlShow.js';
export { renderIpAddr, renderIpNetns, renderIpRoute } from './ipRenderings.js';
export { routerNatRules, type RouterNatInput } from './routerNat.js';
export { brIntDevice, pluggedPorts, usesHybridPlug, DEAD_VLAN, type BrIntDevice, type PluggedPort } from './plug.js';
export { tunnelNetworks, tunnelPorts, type TunnelNetwork, type TunnelPort, type TunnelType, type RemoteEndpoint } from './tunnels.js';
export { localNetworks, type LocalNetwork } from './localNetworks.js';
export { ofportNumbers } from './ofports.js';

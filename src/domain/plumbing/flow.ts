// One OpenFlow rule as `ovs-ofctl dump-flows` shows it, minus the counters.
// The texts are OVS's own print forms (ofp-print / match_format), so that
// `match` and `actions` can be compared character for character with a host.

/** A rule as the agent asks a bridge for it (ofswitch.py install_*). */
export interface FlowRule {
  table: number;
  /** 0..65535; printed as `priority=N`. */
  priority: number;
  /** Match fields without the priority, e.g. `in_port="patch-int"`; '' matches all. */
  match: string;
  /** e.g. `resubmit(,2)`, `drop`, `NORMAL`. */
  actions: string;
}

/** A rule as the bridge holds it: with the cookie the agent stamped on it. */
export interface Flow extends FlowRule {
  /** e.g. `0x8d5f0a1b2c3d4e5f`, as dump-flows prints it. */
  cookie: string;
}

export const flow = (table: number, priority: number, match: string, actions: string): FlowRule => ({
  table,
  priority,
  match,
  actions,
});

/** The rules with the bridge's cookie, as install_instructions sends them (cookie=default_cookie). */
export const withCookie = (rules: FlowRule[], cookie: string): Flow[] => rules.map((r) => ({ cookie, ...r }));

/**
 * A port name as ovs-ofctl prints it (lib/namemap.c): bare when it is a
 * letter followed by letters and digits, otherwise JSON-quoted. Every agent
 * port name has a '-', so in practice they are all quoted: `"patch-int"`.
 */
export function ofPort(name: string): string {
  return /^[A-Za-z][A-Za-z0-9]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * ovs-ofctl's order: by table, then highest priority first. Flows of equal
 * priority keep the order they were generated in (the switch's own order
 * there is a hash order, so any stable one is as true).
 */
export function sortFlows<F extends FlowRule>(flows: F[]): F[] {
  return flows
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.table - b.f.table || b.f.priority - a.f.priority || a.i - b.i)
    .map(({ f }) => f);
}

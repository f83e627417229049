// What-if: apply changes through the same service calls as the real
// mutations, inside one transaction that is always rolled back, and report
// what they would allocate and which paths they break or fix.
import type { Config } from '../config.js';
import { indexFor, EndpointError, type EndpointRef, type Flow, type PathResult } from '../domain/path/index.js';
import type { Topology } from '../domain/model.js';
import { loadPathTopology } from '../store/pathSnapshot.js';
import type { Prisma } from '../store/db.js';
import { DomainError, type UserError, type UserErrorCode } from './errors.js';
import { withJournal, type AllocationEvent } from './journal.js';
import { MUTATIONS, type MutationInput, type MutationName } from './mutations.js';
import { inTransaction, type Tx } from './transaction.js';
import { PROJECT_ID_RE } from './validate.js';
import { chargeWork, inWorkSlot, stopIfAbandoned, yieldToOthers } from './requestWork.js';
import { TRACE_COST, whatIfCost } from './workCost.js';
import { checkSet, internetAddress, membersOf, type EndpointSet, type SetMember } from '../domain/analysis/endpointSets.js';
import { pairCount, piecesOf, setPairs, traceFlow } from '../domain/analysis/reachability.js';
import { loadSetCandidates } from '../store/endpointSets.js';

/** The mutations a what-if may try. */
export const WHAT_IF_CHANGES = [
  'setHostStatus', 'bootInstance', 'migrateInstance', 'deleteInstance', 'bindPort', 'unbindPort', 'createPort', 'deletePort',
  'addRouterInterface', 'removeRouterInterface', 'setRouterGateway', 'clearRouterGateway',
  'createSecurityGroupRule', 'deleteSecurityGroupRule', 'createFloatingIp', 'associateFloatingIp', 'disassociateFloatingIp',
  'createNetwork', 'createSubnet', 'updatePort', 'updateSubnet', 'updateRouter', 'updateSecurityGroup', 'updateNetwork', 'updateHost',
] as const satisfies readonly MutationName[];
export type WhatIfChangeName = (typeof WHAT_IF_CHANGES)[number];

/** Paths compared before and after, at most (a project of 50 instances has 2,450 ordered pairs). */
export const MAX_WHAT_IF_PAIRS = 2500;
export const MAX_WHAT_IF_CHANGES = 100;

export interface WhatIfChange {
  mutation: WhatIfChangeName;
  input: MutationInput;
}

export interface PathPair {
  from: EndpointRef;
  to: EndpointRef;
  flow: Flow;
  fromLabel: string;
  toLabel: string;
}

export interface WhatIfCheck {
  pairs: PathPair[];
  /** Every ordered pair of this project's instances (before and after the changes). */
  projectId: string | null;
  projectFlow: Flow;
  /** Reachability questions: every source to every destination for every flow, the sets expanded before and after the changes. */
  sets: SetCheck[];
}

export interface SetCheck {
  sources: EndpointSet;
  destinations: EndpointSet;
  flows: Flow[];
}

/**
 * Who asks. An admin (viewer null) tries any change and sees everything. A
 * project tries its changes as its mutations would run them (authorize
 * throws a DomainError to fail one), compares only its own project's pairs
 * and sees paths as asSeenBy it, and only the address allocations: hosts,
 * local VLANs, segments and agent placement are an admin's.
 */
export interface WhatIfAsker {
  viewer: string | null;
  authorize(change: WhatIfChange, tx: Tx): Promise<MutationInput>;
}

export const ADMIN_ASKER: WhatIfAsker = { viewer: null, authorize: async (change) => change.input };

export type ChangeStatus = 'APPLIED' | 'FAILED' | 'SKIPPED';

export interface ChangeOutcome {
  index: number;
  mutation: WhatIfChangeName;
  status: ChangeStatus;
  userErrors: UserError[];
  allocations: Allocation[];
}

export interface Allocation extends Record<string, unknown> {
  kind: AllocationEvent['kind'];
  change: AllocationEvent['change'];
  description: string;
}

export type PathChange = 'BROKEN' | 'FIXED' | 'UNCHANGED' | 'CHANGED';

export interface PathDiff {
  from: string;
  to: string;
  before: PathResult | null;
  beforeError: string | null;
  after: PathResult | null;
  afterError: string | null;
  verdictChanged: boolean;
  hopsChanged: boolean;
  change: PathChange;
}

export interface WhatIfReport {
  applied: boolean;
  changes: ChangeOutcome[];
  allocations: Allocation[];
  paths: PathDiff[];
  summary: { pairs: number; broken: number; fixed: number; unchanged: number; changed: number };
  userErrors: UserError[];
}

/** Ends the what-if's transaction, carrying what it read: a refusal, or the states to compare. */
class Rollback extends Error {
  constructor(readonly report: WhatIfReport | (() => Promise<WhatIfReport>)) {
    super('what-if rolled back');
  }
}

const refused = (message: string, field: string[], code: UserErrorCode = 'INVALID'): WhatIfReport => ({
  applied: false,
  changes: [],
  allocations: [],
  paths: [],
  summary: { pairs: 0, broken: 0, fixed: 0, unchanged: 0, changed: 0 },
  userErrors: [{ code, field, message }],
});

/**
 * Runs in one of the slots what-ifs share (services/requestWork.ts): it
 * holds a connection for its transaction and the states it traces.
 */
export function runWhatIf(prisma: Prisma, config: Config, changes: WhatIfChange[], check: WhatIfCheck, asker: WhatIfAsker = ADMIN_ASKER): Promise<WhatIfReport> {
  return inWorkSlot(() => whatIfInSlot(prisma, config, changes, check, asker));
}

async function whatIfInSlot(prisma: Prisma, config: Config, changes: WhatIfChange[], check: WhatIfCheck, asker: WhatIfAsker): Promise<WhatIfReport> {
  if (changes.length > MAX_WHAT_IF_CHANGES) return refused(`at most ${MAX_WHAT_IF_CHANGES} changes in one what-if`, ['changes']);
  if (check.projectId !== null && !PROJECT_ID_RE.test(check.projectId)) return refused(`'${check.projectId}' is not a project id`, ['check', 'projectId']);
  if (check.projectId !== null && asker.viewer !== null && check.projectId !== asker.viewer) {
    return refused(`a token of project ${asker.viewer} cannot compare the paths of project '${check.projectId}'`, ['check', 'projectId'], 'FORBIDDEN');
  }
  const badSet = setRefusal(check.sets, asker.viewer);
  if (badSet) return badSet;
  try {
    await inTransaction(
      prisma,
      async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${config.whatIf.statementTimeoutMs}`);
        await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${config.whatIf.statementTimeoutMs}`);
        const projectBefore = check.projectId ? await projectInstances(tx, check.projectId) : [];
        const setsBefore = await expandSets(tx, check.sets, asker.viewer);
        const refusalBefore = pairLimitRefusal(check, projectBefore.length, mergeStates(setsBefore));
        if (refusalBefore) throw new Rollback(refusalBefore);
        const outcomes = await applyChanges(tx, config, changes, asker);
        const projectAfter = check.projectId ? await projectInstances(tx, check.projectId) : [];
        const projectAll = [...new Map([...projectBefore, ...projectAfter].map((i) => [i.id, i])).values()];
        const setsAfter = await expandSets(tx, check.sets, asker.viewer);
        const setsAll = mergeStates(setsBefore, setsAfter);
        const refusal = unknownPart(setsBefore, setsAfter) ?? pairLimitRefusal(check, projectAll.length, setsAll);
        if (refusal) throw new Rollback(refusal);
        const ofProject = projectPairs(projectAll, check.projectFlow);
        const ofSets = setsAll.flatMap((set, i) => setPairs(set.sources, set.destinations, check.sets[i].flows).map(pairOfMembers));
        // The given pairs were priced with the query; the project's and the sets' are known only now.
        if (ofProject.length > 0) chargeWork(whatIfCost(0, ofProject.length), `comparing the ${ofProject.length} pairs of project ${check.projectId}`);
        if (ofSets.length > 0) chargeWork(whatIfCost(0, ofSets.length), `comparing the ${ofSets.length} pairs of check.sets`);
        const pairs = [...check.pairs, ...ofProject, ...ofSets];
        throw new Rollback(await readStates(tx, changes, outcomes, pairs, asker.viewer));
      },
      { timeoutMs: config.whatIf.timeoutMs },
    );
  } catch (error) {
    // The pairs are traced once the transaction has let go of its locks.
    if (error instanceof Rollback) return typeof error.report === 'function' ? await error.report() : error.report;
    throw error;
  }
  throw new Error('unreachable: a what-if transaction always rolls back');
}

/** A malformed set, or one the asker may not use (as reachability refuses it), refuses the what-if before it starts. */
function setRefusal(sets: SetCheck[], viewer: string | null): WhatIfReport | null {
  for (const [i, set] of sets.entries()) {
    try {
      checkSet(set.sources, 'sources');
      checkSet(set.destinations, 'destinations');
    } catch (error) {
      if (!(error instanceof EndpointError)) throw error;
      return refused(error.message, ['check', 'sets', String(i)]);
    }
    for (const side of ['sources', 'destinations'] as const) {
      const asked = set[side];
      if (asked.kind === 'PROJECT' && viewer !== null && asked.projectId !== viewer) {
        return refused(`a token of project ${viewer} cannot compare the paths of project '${asked.projectId}'`, ['check', 'sets', String(i), side], 'FORBIDDEN');
      }
    }
    if (viewer !== null && set.sources.kind === 'INTERNET') {
      return refused(`a path of project ${viewer} starts at one of its own instances; INTERNET is none of them`, ['check', 'sets', String(i), 'sources']);
    }
  }
  return null;
}

type PartMembers = SetMember[] | EndpointError;
/** A set question in one state: each side's parts (an instance list's names one by one) with their members or why they have none. */
type ExpandedState = { sources: PartMembers[]; destinations: PartMembers[] };
type Expanded = { sources: SetMember[]; destinations: SetMember[] };

const partsOf = (set: EndpointSet): EndpointSet[] => (set.kind === 'INSTANCES' ? [...new Set(set.instances)].map((name) => ({ kind: 'INSTANCES', instances: [name] })) : [set]);

/**
 * The sets' members in the transaction's present state, read in one
 * statement. An instance list is expanded name by name, so that an
 * instance the changes boot or delete counts in the state that has it.
 */
async function expandSets(tx: Tx, sets: SetCheck[], viewer: string | null): Promise<ExpandedState[]> {
  if (sets.length === 0) return [];
  const parts = sets.map((set) => ({ sources: partsOf(set.sources), destinations: partsOf(set.destinations) }));
  const candidates = await loadSetCandidates(tx, parts.flatMap((p) => [...p.sources, ...p.destinations]));
  const expand = (part: EndpointSet): PartMembers => {
    try {
      return membersOf(part, candidates.ports, part.kind === 'INTERNET' ? internetAddress(candidates.heldInternetCandidates) : '', viewer);
    } catch (error) {
      if (!(error instanceof EndpointError)) throw error;
      return error;
    }
  };
  return parts.map((p) => ({ sources: p.sources.map(expand), destinations: p.destinations.map(expand) }));
}

/** The members of the given states, each once. */
function mergeStates(...states: ExpandedState[][]): Expanded[] {
  const side = (i: number, name: 'sources' | 'destinations') => {
    const members = states.flatMap((state) => state[i][name].flatMap((part) => (part instanceof EndpointError ? [] : part)));
    return [...new Map(members.map((m) => [JSON.stringify(m.ref), m])).values()];
  };
  return states[0].map((_, i) => ({ sources: side(i, 'sources'), destinations: side(i, 'destinations') }));
}

/** A part that neither state could expand (an unknown instance, another project's set) refuses the what-if. */
function unknownPart(before: ExpandedState[], after: ExpandedState[]): WhatIfReport | null {
  for (const [i, set] of before.entries()) {
    for (const name of ['sources', 'destinations'] as const) {
      const missing = set[name].find((part, j) => part instanceof EndpointError && after[i][name][j] instanceof EndpointError);
      if (missing instanceof EndpointError) return refused(missing.message, ['check', 'sets', String(i), name]);
    }
  }
  return null;
}

const pairOfMembers = ({ source, destination, flow }: { source: SetMember; destination: SetMember; flow: Flow }): PathPair =>
  ({ from: source.ref, to: destination.ref, flow, fromLabel: source.label, toLabel: destination.label });

/** Applies the changes in order, each behind a savepoint; the first failure stops the rest. */
async function applyChanges(tx: Tx, config: Config, changes: WhatIfChange[], asker: WhatIfAsker): Promise<ChangeOutcome[]> {
  const outcomes: ChangeOutcome[] = [];
  let failed = false;
  for (const [index, change] of changes.entries()) {
    stopIfAbandoned();
    if (failed) {
      outcomes.push({ index, mutation: change.mutation, status: 'SKIPPED', userErrors: [], allocations: [] });
      continue;
    }
    await tx.$executeRawUnsafe(`SAVEPOINT what_if_${index}`);
    try {
      const input = await asker.authorize(change, tx);
      const { events } = await withJournal(() => MUTATIONS[change.mutation].run(tx, input, config, { project: asker.viewer }));
      const shown = asker.viewer === null ? events : events.filter((e) => e.kind === 'IP_ADDRESS');
      outcomes.push({ index, mutation: change.mutation, status: 'APPLIED', userErrors: [], allocations: await describe(tx, shown) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT what_if_${index}`);
      const userErrors = error.errors.map((e) => ({ ...e, field: ['changes', String(index), change.mutation, ...(e.field ?? []).slice(1)] }));
      outcomes.push({ index, mutation: change.mutation, status: 'FAILED', userErrors, allocations: [] });
      failed = true;
    }
  }
  return outcomes;
}

/**
 * Reads the pairs' topology after the changes and, rolled back to before
 * them, again; returns the report to build from them once the transaction
 * is over, so that tracing many pairs holds no lock.
 */
async function readStates(tx: Tx, changes: WhatIfChange[], outcomes: ChangeOutcome[], pairs: PathPair[], viewer: string | null): Promise<() => Promise<WhatIfReport>> {
  const afterState = await readPairs(tx, pairs);
  let beforeState = afterState;
  if (changes.length > 0) {
    await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT what_if_0');
    beforeState = await readPairs(tx, pairs);
  }
  return async () => buildReport(outcomes, pairs, await tracePairs(beforeState, pairs, viewer), await tracePairs(afterState, pairs, viewer));
}

function buildReport(outcomes: ChangeOutcome[], pairs: PathPair[], before: Traced[], after: Traced[]): WhatIfReport {
  return {
    applied: outcomes.every((o) => o.status === 'APPLIED'),
    changes: outcomes,
    allocations: netAllocations(outcomes.flatMap((o) => o.allocations)),
    ...comparePaths(pairs, before, after),
    userErrors: [],
  };
}

/** Each pair's paths before and after, and how many broke, got fixed or changed. */
export function comparePaths(pairs: PathPair[], before: Traced[], after: Traced[]): Pick<WhatIfReport, 'paths' | 'summary'> {
  const paths = pairs.map((pair, i) => diff(pair, before[i], after[i]));
  const count = (change: PathChange) => paths.filter((p) => p.change === change).length;
  return {
    paths,
    summary: { pairs: paths.length, broken: count('BROKEN'), fixed: count('FIXED'), unchanged: count('UNCHANGED'), changed: count('CHANGED') },
  };
}

export type Traced = { path: PathResult; error: null } | { path: null; error: string };

/** One snapshot for all the pairs' endpoints (none for no pairs). */
export const readPairs = async (tx: Tx, pairs: PathPair[]): Promise<Topology | null> =>
  pairs.length === 0 ? null : loadPathTopology(tx, pairs.flatMap((p) => [p.from, p.to]));

/** Pairs traced between two looks at the event loop (other requests, a client that went away). */
const TRACES_PER_SLICE = 100;

/**
 * Traces every pair on the snapshot read for them, in slices; stops when
 * the request's client has gone. A pair of a port range (check.sets) is
 * traced once per piece of it (as reachability traces it): the pieces past
 * the first are billed here, once the snapshot has told how many there are.
 */
export async function tracePairs(topology: Topology | null, pairs: PathPair[], viewer: string | null): Promise<Traced[]> {
  if (topology === null) return [];
  const index = indexFor(topology, viewer);
  const extraPieces = pairs.reduce((n, pair) => n + piecesOf(index, pair.flow).length - 1, 0);
  if (extraPieces > 0) chargeWork(extraPieces * TRACE_COST, `tracing the port ranges of check.sets in ${extraPieces} more packets`);
  const traced: Traced[] = [];
  for (const pair of pairs) {
    if (traced.length > 0 && traced.length % TRACES_PER_SLICE === 0) await yieldToOthers();
    try {
      traced.push({ path: traceFlow(index, pair.from, pair.to, pair.flow, viewer).path, error: null });
    } catch (error) {
      if (!(error instanceof EndpointError)) throw error;
      traced.push({ path: null, error: error.message });
    }
  }
  return traced;
}

function diff(pair: PathPair, before: Traced, after: Traced): PathDiff {
  const passes = (t: Traced) => t.path?.reachedDestination === true;
  const verdictChanged = (before.path?.verdict ?? null) !== (after.path?.verdict ?? null);
  const signature = (t: Traced) => (t.path ? t.path.hops.map((h) => `${h.hostId}/${h.device}/${h.vlan}/${h.tunnelId}`).join(' ') : t.error);
  const hopsChanged = signature(before) !== signature(after);
  const broken = passes(before) && !passes(after);
  const fixed = !passes(before) && passes(after);
  const change: PathChange = broken ? 'BROKEN' : fixed ? 'FIXED' : verdictChanged || hopsChanged ? 'CHANGED' : 'UNCHANGED';
  return {
    from: pair.fromLabel,
    to: pair.toLabel,
    before: before.path,
    beforeError: before.error,
    after: after.path,
    afterError: after.error,
    verdictChanged,
    hopsChanged,
    change,
  };
}

async function projectInstances(tx: Tx, projectId: string) {
  return tx.instance.findMany({ where: { projectId }, select: { id: true, name: true }, orderBy: { name: 'asc' } });
}

/** Refuses a what-if whose pairs would pass MAX_WHAT_IF_PAIRS; `sets` are counted as far as they could be expanded. */
function pairLimitRefusal(check: WhatIfCheck, instances: number, sets: Expanded[]): WhatIfReport | null {
  const ofProject = instances * Math.max(instances - 1, 0);
  const ofSets = sets.reduce((n, set, i) => n + pairCount(set.sources, set.destinations, check.sets[i].flows), 0);
  if (check.pairs.length + ofProject + ofSets <= MAX_WHAT_IF_PAIRS) return null;
  const asked = [
    `${check.pairs.length} given pairs`,
    ...(check.projectId ? [`${ofProject} pairs of the ${instances} instances of project ${check.projectId}`] : []),
    ...(check.sets.length > 0 ? [`${ofSets} pairs of check.sets`] : []),
  ];
  const list = asked.length > 1 ? `${asked.slice(0, -1).join(', ')} and ${asked.at(-1)}` : asked[0];
  return refused(`a what-if compares at most ${MAX_WHAT_IF_PAIRS} paths; this one asks for ${list}`, ['check']);
}

function projectPairs(instances: { id: string; name: string }[], flow: Flow): PathPair[] {
  return instances.flatMap((a) =>
    instances.filter((b) => b.id !== a.id).map((b) => ({ from: { instanceId: a.id }, to: { instanceId: b.id }, flow, fromLabel: a.name, toLabel: b.name })),
  );
}

/** Names the objects of each event while they still exist (inside the transaction). */
async function describe(tx: Tx, events: AllocationEvent[]): Promise<Allocation[]> {
  const hostIds = [...new Set(events.flatMap((e) => ('hostId' in e ? [e.hostId] : [])))];
  const networkIds = [...new Set(events.flatMap((e) => ('networkId' in e ? [e.networkId] : [])))];
  const routerIds = [...new Set(events.flatMap((e) => (e.kind === 'ROUTER_PLACEMENT' ? [e.routerId] : [])))];
  const [hosts, networks, routers] = await Promise.all([
    tx.host.findMany({ where: { id: { in: hostIds } }, select: { id: true, name: true } }),
    tx.network.findMany({ where: { id: { in: networkIds } }, select: { id: true, name: true } }),
    tx.router.findMany({ where: { id: { in: routerIds } }, select: { id: true, name: true } }),
  ]);
  const name = (rows: { id: string; name: string }[], id: string) => rows.find((r) => r.id === id)?.name || id;
  return events.map((e) => {
    const verb = e.change === 'ALLOCATED' ? 'allocates' : 'releases';
    switch (e.kind) {
      case 'LOCAL_VLAN':
        return { ...e, hostName: name(hosts, e.hostId), networkName: name(networks, e.networkId), description: `${name(hosts, e.hostId)} ${verb} local VLAN ${e.vlan} for network ${name(networks, e.networkId)}` };
      case 'SEGMENT':
        return { ...e, networkName: name(networks, e.networkId), description: `network ${name(networks, e.networkId)} ${verb} ${e.networkType}${e.physicalNetwork ? ` on ${e.physicalNetwork}` : ''}${e.segmentationId === null ? '' : ` segment ${e.segmentationId}`}` };
      case 'ROUTER_PLACEMENT':
        return { ...e, hostName: name(hosts, e.hostId), routerName: name(routers, e.routerId), description: `router ${name(routers, e.routerId)} is scheduled on ${name(hosts, e.hostId)}` };
      case 'DHCP_PLACEMENT':
        return { ...e, hostName: name(hosts, e.hostId), networkName: name(networks, e.networkId), description: `DHCP of network ${name(networks, e.networkId)} ${e.change === 'ALLOCATED' ? 'is scheduled on' : 'leaves'} ${name(hosts, e.hostId)}` };
      case 'IP_ADDRESS':
        return { ...e, description: `port ${e.portId} ${verb} ${e.ipAddress}` };
    }
  });
}

/** What all applied changes do together: an allocation undone by a later change cancels out. */
function netAllocations(all: Allocation[]): Allocation[] {
  const key = (a: Allocation) => JSON.stringify({ ...a, change: undefined, description: undefined });
  const net: Allocation[] = [];
  for (const a of all) {
    const opposite = net.findIndex((b) => key(b) === key(a) && b.change !== a.change);
    if (opposite >= 0) net.splice(opposite, 1);
    else net.push(a);
  }
  return net;
}

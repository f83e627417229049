// Which local VLAN the OVS agent gives a network on its host. The agent keeps
// its free VLANs in a Python set (available_local_vlans), takes one with
// set.pop() and gives it back with set.add() (ovs_neutron_agent.py
// _add_local_vlan / reclaim_local_vlan). Which id pop() returns is CPython's
// hash-table order, so the set is reproduced here as CPython lays it out
// (Objects/setobject.c: set_pop, set_add_entry, set_table_resize, the same on
// the Python 3.10 to 3.13 that Neutron 2026.1 runs on). docs/neutron-model.md,
// "Local VLANs (OVS agent)", walks through what that means. Pure.

export const MIN_LOCAL_VLAN = 1;
export const MAX_LOCAL_VLAN = 4094;

/** Slot contents other than a VLAN id: never used since the table was built, or a deleted entry. */
export const EMPTY = 0;
export const DUMMY = -1;

/** setobject.c's constants: consecutive slots looked at per probe, and the shift of the perturbation. */
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5;
const MIN_SIZE = 8;

/**
 * The set's state as stored: CPython's finger (where pop() starts looking),
 * mask (table size - 1), fill (slots not EMPTY) and used (VLAN ids in the
 * set), and the slots whose content differs from a fresh agent's table as
 * [slot, content] pairs, sorted by slot.
 */
export interface FreeVlanSetState {
  finger: number;
  mask: number;
  fill: number;
  used: number;
  changed: [slot: number, content: number][];
}

/** `set(range(1, 4095))` as the agent builds it at start: 8192 slots, id v in slot v. */
const FRESH_MASK = 8191;
const freshContent = (slot: number) => (slot >= MIN_LOCAL_VLAN && slot <= MAX_LOCAL_VLAN ? slot : EMPTY);

/** The agent's available_local_vlans on one host. */
export class FreeVlanSet {
  private finger: number;
  private mask: number;
  private fill: number;
  private used: number;
  /** Slot contents that differ from freshContent. */
  private readonly slots: Map<number, number>;

  private constructor(state: FreeVlanSetState) {
    this.finger = state.finger;
    this.mask = state.mask;
    this.fill = state.fill;
    this.used = state.used;
    this.slots = new Map(state.changed);
  }

  /** A freshly started agent: every id 1..4094 free. */
  static fresh(): FreeVlanSet {
    const full = MAX_LOCAL_VLAN - MIN_LOCAL_VLAN + 1;
    return new FreeVlanSet({ finger: 0, mask: FRESH_MASK, fill: full, used: full, changed: [] });
  }

  /**
   * An agent that (re)started with ports tagged `inUse` on br-int: it builds
   * the full set and removes each tag it reads back (_restore_local_vlan_map).
   */
  static restarted(inUse: Iterable<number>): FreeVlanSet {
    const set = FreeVlanSet.fresh();
    for (const vlan of inUse) set.discard(vlan);
    return set;
  }

  static from(state: FreeVlanSetState): FreeVlanSet {
    return new FreeVlanSet(state);
  }

  state(): FreeVlanSetState {
    const changed = [...this.slots].sort((a, b) => a[0] - b[0]);
    return { finger: this.finger, mask: this.mask, fill: this.fill, used: this.used, changed };
  }

  get size(): number {
    return this.used;
  }

  private content(slot: number): number {
    return this.slots.get(slot) ?? (slot <= FRESH_MASK ? freshContent(slot) : EMPTY);
  }

  private setContent(slot: number, content: number): void {
    if (content === (slot <= FRESH_MASK ? freshContent(slot) : EMPTY)) this.slots.delete(slot);
    else this.slots.set(slot, content);
  }

  /** set.pop(): the first id at or after the finger in table order, wrapping; null when empty. */
  pop(): number | null {
    if (this.used === 0) return null;
    let slot = this.finger & this.mask;
    while (this.content(slot) <= EMPTY) slot = slot === this.mask ? 0 : slot + 1;
    const vlan = this.content(slot);
    this.setContent(slot, DUMMY);
    this.used--;
    this.finger = slot + 1;
    return vlan;
  }

  /**
   * The slots CPython's probe sequence for `vlan` visits, in order (a small
   * int hashes to itself): runs of LINEAR_PROBES + 1 consecutive slots, then
   * a jump mixed with the hash's higher bits. Endless; callers stop it.
   */
  private *probe(vlan: number, mask = this.mask): Generator<number> {
    let perturb = vlan;
    let i = vlan & mask;
    for (;;) {
      const run = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      for (let j = 0; j <= run; j++) yield i + j;
      perturb >>>= PERTURB_SHIFT;
      i = (i * 5 + 1 + perturb) & mask;
    }
  }

  /**
   * set.add(): along the probe sequence up to the first never-used slot, the
   * id goes into the last deleted slot it passed, else into that unused slot,
   * which may grow the table (set_add_entry). Not back to its own slot, as a
   * rule: where it lands decides when pop() returns it again.
   */
  add(vlan: number): void {
    let deleted: number | null = null;
    for (const slot of this.probe(vlan)) {
      const content = this.content(slot);
      if (content === vlan) return;
      if (content === DUMMY) deleted = slot;
      if (content !== EMPTY) continue;
      this.used++;
      if (deleted !== null) {
        this.setContent(deleted, vlan);
        return;
      }
      this.setContent(slot, vlan);
      this.fill++;
      if (this.fill * 5 >= this.mask * 3) this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
      return;
    }
  }

  /** set.remove()/discard(): the id's slot becomes a deleted one. */
  discard(vlan: number): void {
    for (const slot of this.probe(vlan)) {
      const content = this.content(slot);
      if (content === EMPTY) return;
      if (content !== vlan) continue;
      this.setContent(slot, DUMMY);
      this.used--;
      return;
    }
  }

  /**
   * set_table_resize: a table of the smallest power of two above `minUsed`,
   * the ids re-inserted in old slot order, deleted slots dropped. The finger
   * stays as it was.
   */
  private resize(minUsed: number): void {
    let size = MIN_SIZE;
    while (size <= minUsed) size <<= 1;
    if (size === MIN_SIZE && this.mask === MIN_SIZE - 1 && this.fill === this.used) return;
    const ids: number[] = [];
    for (let slot = 0; slot <= this.mask; slot++) {
      const content = this.content(slot);
      if (content > EMPTY) ids.push(content);
    }
    const table = new Map<number, number>();
    const mask = size - 1;
    for (const vlan of ids) {
      for (const slot of this.probe(vlan, mask)) {
        if (table.has(slot)) continue;
        table.set(slot, vlan);
        break;
      }
    }
    this.mask = mask;
    this.fill = this.used;
    this.slots.clear();
    for (let slot = 0; slot <= Math.max(mask, FRESH_MASK); slot++) {
      const content = slot <= mask ? (table.get(slot) ?? EMPTY) : EMPTY;
      if (content !== (slot <= FRESH_MASK ? freshContent(slot) : EMPTY)) this.slots.set(slot, content);
    }
  }
}

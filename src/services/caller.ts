// Who a service call acts for. Services answer with the same rules for
// everyone; only what their errors name depends on it: an admin learns
// everything, a project only what it may read.

export interface Caller {
  /** The project of a project token; null for an admin, who reads every project. */
  project: string | null;
}

export const ADMIN_CALLER: Caller = { project: null };

/** Whether the caller may read objects of `projectId`. */
export const reads = (caller: Caller, projectId: string): boolean => caller.project === null || caller.project === projectId;

// Everything an import decides before it writes, from the document and the
// database's snapshot: the resulting cloud, checked whole, placed, with its
// local VLANs, as changes against the database. A document with any problem
// is refused here with all of its problems, before a single write.
import { diffClouds, type Changes, type CloudChanges } from '../../domain/import/diff.js';
import { addImpliedPorts } from '../../domain/import/impliedPorts.js';
import { Issues } from '../../domain/import/issues.js';
import { linkFloatingIps, linkPorts } from '../../domain/import/link.js';
import { mergeClouds } from '../../domain/import/merge.js';
import type { Cloud, ImportMode, Snapshot } from '../../domain/import/model.js';
import { readDocument } from '../../domain/import/read.js';
import { validateCloud } from '../../domain/import/validate.js';
import { DomainError } from '../errors.js';
import { planLocalVlans, type LocalVlanPlan } from './localVlans.js';
import { Placement } from './placement.js';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export interface ImportReport {
  mode: ImportMode;
  hosts: ImportCounts;
  networks: ImportCounts;
  subnets: ImportCounts;
  securityGroups: ImportCounts;
  securityGroupRules: ImportCounts;
  instances: ImportCounts;
  routers: ImportCounts;
  ports: ImportCounts;
  floatingIps: ImportCounts;
  localVlans: { allocated: number; released: number; kept: number };
  warnings: string[];
}

export interface ImportPlan {
  /** The cloud after the import. */
  cloud: Cloud;
  changes: CloudChanges;
  localVlans: LocalVlanPlan;
  report: ImportReport;
}

const counts = (c: Changes<unknown>): ImportCounts => ({
  created: c.created.length,
  updated: c.updated.length,
  unchanged: c.unchanged,
  deleted: c.deleted.length,
});

/** The document's problems as userErrors of the `document` input field. */
function refuse(issues: Issues): never {
  throw new DomainError(issues.list.map((i) => ({ code: i.code, field: ['input', 'document', ...i.path], message: i.message })));
}

export function planImport(document: unknown, snapshot: Snapshot, mode: ImportMode): ImportPlan {
  const issues = new Issues();
  const read = readDocument(document, snapshot.cloud, mode, issues);
  const cloud = mergeClouds(snapshot.cloud, read.cloud, mode);
  linkPorts(cloud, read.origins);
  addImpliedPorts(cloud, read, issues);
  linkFloatingIps(cloud, read.origins, issues);
  validateCloud(cloud, read.origins, read.hosting, issues);
  if (!issues.empty) refuse(issues);

  const warnings = [...read.warnings];
  new Placement(cloud, snapshot.cloud, read.hosting, read.origins, warnings).run();
  const localVlans = planLocalVlans(cloud.ports.values(), snapshot.localVlans, (id) => cloud.hosts.get(id)?.name ?? id, issues);
  if (!issues.empty) refuse(issues);

  const changes = diffClouds(snapshot.cloud, cloud, read.origins);
  const report: ImportReport = {
    mode,
    hosts: counts(changes.hosts),
    networks: counts(changes.networks),
    subnets: counts(changes.subnets),
    securityGroups: counts(changes.securityGroups),
    securityGroupRules: counts(changes.rules),
    instances: counts(changes.instances),
    routers: counts(changes.routers),
    ports: counts(changes.ports),
    floatingIps: counts(changes.floatingIps),
    localVlans: { allocated: localVlans.allocated.length, released: localVlans.released.length, kept: localVlans.kept },
    warnings,
  };
  return { cloud, changes, localVlans, report };
}

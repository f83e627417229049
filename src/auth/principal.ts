// Who is asking: an admin, or a project (read-write or read-only). Every
// authorization decision is taken from this object.

export interface Principal {
  /** The token's id; null when authentication is off. */
  readonly tokenId: string | null;
  readonly isAdmin: boolean;
  /** The project a project token acts for; null for admin. */
  readonly projectId: string | null;
  readonly readOnly: boolean;
  /** Objects of `projectId` may be read (admin: every project). */
  canRead(projectId: string): boolean;
  /** Objects of `projectId` may be changed (admin: every project; never with a read-only token). */
  canWrite(projectId: string): boolean;
}

export interface TokenGrant {
  id: string | null;
  admin: boolean;
  projectId: string | null;
  readOnly: boolean;
}

export function principalOf(grant: TokenGrant): Principal {
  const isAdmin = grant.admin;
  const projectId = isAdmin ? null : grant.projectId;
  const canRead = (project: string) => isAdmin || project === projectId;
  return {
    tokenId: grant.id,
    isAdmin,
    projectId,
    readOnly: grant.readOnly,
    canRead,
    canWrite: (project: string) => !grant.readOnly && canRead(project),
  };
}

/** The principal of every request while AUTH=off (local development). */
export const UNAUTHENTICATED_ADMIN: Principal = principalOf({ id: null, admin: true, projectId: null, readOnly: false });

// Checks shared by several inputs.
import { fail } from './errors.js';

const MAX_NAME = 255;
export const PROJECT_ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;

export function checkName(name: string, field: string[], required = true): string {
  const trimmed = name.trim();
  if (required && trimmed.length === 0) fail('INVALID', field, 'must not be empty');
  if (name.length > MAX_NAME) fail('INVALID', field, `must be at most ${MAX_NAME} characters`);
  if (/[\u0000-\u001f]/.test(name)) fail('INVALID', field, 'must not contain control characters');
  // A lone UTF-16 surrogate has no UTF-8 form: PostgreSQL could not store it.
  if (/\p{Cs}/u.test(name)) fail('INVALID', field, 'must be valid Unicode (no lone surrogate)');
  return name;
}

/** The project an object is created for; a project token's own is filled in before, so only an admin can leave it out. */
export function checkProjectId(projectId: string | null | undefined, field: string[] = ['projectId']): string {
  if (projectId === null || projectId === undefined) fail('INVALID', field, 'an admin token belongs to no project: give projectId');
  if (!PROJECT_ID_RE.test(projectId)) {
    fail('INVALID', field, 'must be 1 to 64 letters, digits, "_", "." or "-"');
  }
  return projectId;
}

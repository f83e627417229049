// Domain failures reported to clients as userErrors; throwing one inside a
// service rolls its transaction back, so nothing is half-written.

export type UserErrorCode = 'INVALID' | 'NOT_FOUND' | 'CONFLICT' | 'EXHAUSTED' | 'IN_USE' | 'FORBIDDEN';

export interface UserError {
  field: string[] | null;
  message: string;
  code: UserErrorCode;
}

export class DomainError extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** A failure of one input field; `field` is relative to `input`. */
export function fail(code: UserErrorCode, field: string[] | null, message: string): never {
  throw new DomainError([{ code, field: field ? ['input', ...field] : null, message }]);
}

/** Collects several field failures and throws them together. */
export class Problems {
  private readonly list: UserError[] = [];

  add(code: UserErrorCode, field: string[] | null, message: string): void {
    this.list.push({ code, field: field ? ['input', ...field] : null, message });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new DomainError(this.list);
  }
}

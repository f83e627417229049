// A row's content as a string that is equal for equal rows, whatever the
// order of keys and of list items (the database keeps lists as sets) and
// leaving out createdAt: the import compares rows with it.

export function rowKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(rowKey).sort().join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).filter((key) => key !== 'createdAt').sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${rowKey(object[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

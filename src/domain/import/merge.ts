// The cloud an import leads to. MERGE lays the document over the database
// (rows with the same id are replaced, the others stay); REPLACE is the
// document alone. Rows the document does not name come first, so that a
// clash between the two is reported on the document's object.
import { emptyCloud, KINDS, type Cloud, type ImportMode } from './model.js';

export function mergeClouds(existing: Cloud, document: Cloud, mode: ImportMode): Cloud {
  const merged = emptyCloud();
  for (const kind of KINDS) {
    const target = merged[kind] as Map<string, unknown>;
    if (mode === 'MERGE') {
      for (const [id, row] of existing[kind]) if (!document[kind].has(id)) target.set(id, row);
    }
    for (const [id, row] of document[kind]) target.set(id, row);
  }
  return merged;
}

// Neutron documents on disk: one JSON file, or a directory of *.json files
// (e.g. networks.json, ports.json, … as GET /v2.0/<kind> answers) whose
// lists are joined in file name order.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DOCUMENT_KEYS, type NeutronDocument } from '../domain/import/document.js';
import { CommandError } from './client.js';

/** The file and index each joined list entry came from, to name it in messages. */
export type Sources = Record<string, { file: string; index: number }[]>;

export function readDocumentFiles(target: string): { document: Record<string, unknown[]>; sources: Sources } {
  let files: string[];
  try {
    files = statSync(target).isDirectory()
      ? readdirSync(target).filter((name) => name.endsWith('.json')).sort().map((name) => path.join(target, name))
      : [target];
  } catch (error) {
    throw new CommandError(`cannot read ${target}: ${(error as Error).message}`);
  }
  if (files.length === 0) throw new CommandError(`${target} holds no .json file`);
  const document: Record<string, unknown[]> = {};
  const sources: Sources = {};
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new CommandError(`${file}: ${(error as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CommandError(`${file}: a document is a JSON object`);
    const keys = DOCUMENT_KEYS.filter((key) => key in json);
    if (keys.length === 0) throw new CommandError(`${file} has none of the keys ${DOCUMENT_KEYS.join(', ')}`);
    for (const key of keys) {
      const list = (json as Record<string, unknown>)[key];
      if (!Array.isArray(list)) throw new CommandError(`${file}: ${key} must be a list`);
      (document[key] ??= []).push(...list);
      (sources[key] ??= []).push(...list.map((_, index) => ({ file, index })));
    }
  }
  return { document, sources };
}

/** Writes one file, or (for a path not ending in .json) a directory with one file per kind. */
export function writeDocumentFiles(target: string, document: NeutronDocument): string[] {
  if (target.endsWith('.json')) {
    mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
    return [target];
  }
  mkdirSync(target, { recursive: true });
  return Object.entries(document).map(([key, list]) => {
    const file = path.join(target, `${key}.json`);
    writeFileSync(file, `${JSON.stringify({ [key]: list }, null, 2)}\n`);
    return file;
  });
}

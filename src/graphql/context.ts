import type { Config } from '../config.js';
import type { Database } from '../store/db.js';
import type { Loaders } from './loaders.js';

export interface Context {
  db: Database;
  config: Config;
  loaders: Loaders;
}

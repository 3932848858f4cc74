// load.mjs — the bench's SQL files joined into one statement, then tail
// (the query that ends it), with each {{name}} replaced by the quoted path
// given for it; and a connection with a thread count, for every peer.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const here = new URL('.', import.meta.url);
const quote = (s) => `'${s.replace(/'/g, "''")}'`;

export function loadSql(files, paths, tail = '') {
  let sql = files.map((f) => readFileSync(new URL(f, here), 'utf8')
    .replace(/^--.*\n/gm, '')).join('') + tail;
  for (const [name, path] of Object.entries(paths))
    sql = sql.replaceAll(`{{${name}}}`, quote(path));
  return sql;
}

// An in-memory DuckDB connection on `threads` threads ('0' or none: DuckDB's
// default).
export async function connect(threads) {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  if (threads && threads !== '0') await con.run(`SET threads = ${Number(threads)}`);
  return con;
}

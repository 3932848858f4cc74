// load.mjs — the bench's SQL files joined into one statement, then tail
// (the query that ends it), with each {{name}} replaced by the quoted path
// given for it.
import { readFileSync } from 'node:fs';

const here = new URL('.', import.meta.url);
const quote = (s) => `'${s.replace(/'/g, "''")}'`;

export function loadSql(files, paths, tail = '') {
  let sql = files.map((f) => readFileSync(new URL(f, here), 'utf8')
    .replace(/^--.*\n/gm, '')).join('') + tail;
  for (const [name, path] of Object.entries(paths))
    sql = sql.replaceAll(`{{${name}}}`, quote(path));
  return sql;
}

// duckdb_sum.mjs — the DuckDB peer of `make bench`: count the records of a
// claims stream and sum `paid` exactly (DECIMAL), with a given thread count.
//   node bench/duckdb_sum.mjs FILE THREADS      (THREADS 0 = DuckDB's default)
//   node bench/duckdb_sum.mjs --version
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threads] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
if (file === '--version') {
  const v = await con.runAndReadAll('SELECT version()');
  console.log(v.getRows()[0][0]);
  process.exit(0);
}
if (threads && threads !== '0') await con.run(`SET threads = ${Number(threads)}`);
const cols = `{'member_id': 'VARCHAR', 'claim_id': 'VARCHAR', 'line': 'VARCHAR',
  'from_date': 'VARCHAR', 'thru_date': 'VARCHAR', 'paid_date': 'VARCHAR',
  'provider_id': 'VARCHAR', 'tin': 'VARCHAR', 'specialty': 'VARCHAR', 'hcpcs': 'VARCHAR',
  'pos': 'VARCHAR', 'category': 'VARCHAR', 'allowed': 'DECIMAL(18,2)',
  'paid': 'DECIMAL(18,2)', 'dx1': 'VARCHAR'}`;
const reader = await con.runAndReadAll(
  `SELECT count(*)::VARCHAR AS n, sum(paid)::VARCHAR AS paid
     FROM read_csv('${file.replace(/'/g, "''")}', delim = '\t', header = true,
                   quote = '', escape = '', columns = ${cols})`);
const [row] = reader.getRowObjects();
console.log(`${row.n}\t${row.paid}`);

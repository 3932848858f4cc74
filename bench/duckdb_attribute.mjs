// duckdb_attribute.mjs — the DuckDB peer of attribute in `make bench`: the
// same two-step plurality (qualifying codes, roster orgs vs TINs/providers,
// step 2 only without step 1, ties by last service then id) as SQL over the
// synthetic extract (base 2023, measure 2024). Prints the attributed rows'
// count and the sum of their basis allowed, to cross-check attribute.
//   node bench/duckdb_attribute.mjs CLAIMS ROSTER THREADS   (0 = default)
import { connect, loadSql } from './sql/load.mjs';

const [file, roster, threads] = process.argv.slice(2);
const sql = loadSql(['claims.sql', 'attribution.sql'], { claims: file, roster },
  'SELECT count(*)::VARCHAR AS n, sum(allowed)::VARCHAR AS basis FROM attribution');
const con = await connect(threads);
const reader = await con.runAndReadAll(sql);
const [row] = reader.getRowObjects();
console.log(`${row.n}\t${row.basis}`);

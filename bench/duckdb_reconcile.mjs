// duckdb_reconcile.mjs — the DuckDB peer of the nightly reconciliation in
// `make bench`: sql/claims.sql, sql/attribution.sql and sql/reconcile.sql
// (cohort, capped costs, mix, target, settlement), over the same gzipped
// extract.
// Prints one line per org: org_id, target PMPM, actual total and net
// settlement in cents, to cross-check pipelines/reconcile.mk.
//   node bench/duckdb_reconcile.mjs DIR THREADS   (0 = default)
import { connect, loadSql } from './sql/load.mjs';

const [dir, threads] = process.argv.slice(2);
const sql = loadSql(['claims.sql', 'attribution.sql', 'reconcile.sql'], {
  claims: `${dir}/claims.tsv.gz`, roster: `${dir}/roster.tsv.gz`,
  eligibility: `${dir}/eligibility.tsv.gz`, factors: `${dir}/factors.tsv.gz`,
  quality: `${dir}/quality.tsv.gz`,
});
const con = await connect(threads);
// half away from zero, for integers: what vbr_div_round does
await con.run(`CREATE MACRO rnd(x, d) AS
  CASE WHEN x < 0 THEN -((2 * (-x) + d) // (2 * d)) ELSE (2 * x + d) // (2 * d) END`);
const reader = await con.runAndReadAll(sql);
for (const row of reader.getRowObjects())
  console.log(`${row.org_id}\t${row.target_pmpm}\t${row.actual_total}\t${row.net}`);

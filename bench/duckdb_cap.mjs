// duckdb_cap.mjs — the DuckDB peer of cap-large-claims in `make bench`: sum
// allowed per cohort member and period (base 2023, measure 2024; members
// without claims at 0), cap at each period's nearest-rank 99th percentile
// (the ⌈0.99·N⌉-th smallest), and print the cost rows' count and the sum of
// capped cost, to cross-check cap-large-claims (cost_basis allowed).
//   node bench/duckdb_cap.mjs CLAIMS COHORT THREADS   (0 = default)
import { connect, loadSql } from './sql/load.mjs';

const [file, cohort, threads] = process.argv.slice(2);
const sql = loadSql(['claims.sql'], { claims: file, cohort }, `,
cohort AS (
  SELECT member_id, period FROM read_csv({{cohort}}, delim = '\t', header = true,
    quote = '', escape = '', all_varchar = true)),
sums AS (
  SELECT member_id,
    CASE WHEN from_date BETWEEN DATE '2023-01-01' AND DATE '2023-12-31' THEN 'base'
         WHEN from_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31' THEN 'measure' END AS period,
    sum(allowed) AS allowed
  FROM claims GROUP BY ALL),
costs AS (
  SELECT c.member_id, c.period, coalesce(s.allowed, 0) AS raw
  FROM cohort c LEFT JOIN sums s USING (member_id, period)),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY period ORDER BY raw) AS rk,
         count(*) OVER (PARTITION BY period) AS n FROM costs),
thresholds AS (SELECT period, raw AS threshold FROM ranked WHERE rk = ceil(0.99 * n)::BIGINT)
SELECT count(*)::VARCHAR AS n, sum(least(raw, threshold))::VARCHAR AS cost
FROM costs JOIN thresholds USING (period)`);
const con = await connect(threads);
const reader = await con.runAndReadAll(sql);
const [row] = reader.getRowObjects();
console.log(`${row.n}\t${row.cost}`);

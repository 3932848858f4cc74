-- reconcile.sql — the bench extract's whole reconciliation as DuckDB SQL,
-- following on sql/attribution.sql: cohort (cohort-select: eligible months
-- per attributed member and period, the latest month's attributes, age on
-- the period's first day, the month-weighted risk score), capped costs
-- (cap-large-claims: allowed per member-period, members without claims at
-- 0, the nearest-rank 99th percentile per period), mix (mix-factor: five
-- dimensions, member-month weighted, 4 decimals, F and G), target (A, C =
-- A × 1.05, E = C × G) and settlement (settle under the bench terms:
-- two-sided, 2% thresholds, 50% sharing × quality, loss rate 1 − that in
-- [40%, 75%], 2% payment reduction, caps of 10% and 5% of the target).
-- Money and factors are integers (cents, millionths, 10^-4) rounded half
-- away from zero by rnd(), as the tools do, so the two agree to the cent.
-- Prints org_id, target PMPM, actual total and net settlement in cents.
-- {{eligibility}}, {{factors}}, {{quality}} are replaced by quoted paths.
,
elig AS (
  SELECT member_id, month, CAST(birth_date AS DATE) AS birth, sex, region, plan, network,
    CAST(round(CAST(risk_score AS DECIMAL(18,6)) * 1000000) AS BIGINT) AS risk,
    CASE WHEN month BETWEEN '2023-01' AND '2023-12' THEN 'base'
         WHEN month BETWEEN '2024-01' AND '2024-12' THEN 'measure' END AS period
  FROM read_csv({{eligibility}}, delim = '\t', header = true, quote = '', escape = '',
    all_varchar = true)),
cohort AS (
  SELECT a.member_id, a.period, a.org_id, count(*) AS mm,
    arg_max(e.birth, e.month) AS birth, arg_max(e.sex, e.month) AS sex,
    arg_max(e.region, e.month) AS region, arg_max(e.plan, e.month) AS plan,
    arg_max(e.network, e.month) AS network,
    rnd(sum(e.risk), count(e.risk)) AS risk
  FROM attribution a JOIN elig e USING (member_id, period) GROUP BY ALL),
aged AS (
  SELECT *, (CASE WHEN period = 'base' THEN 2023 ELSE 2024 END) - year(birth)
            - (CASE WHEN month(birth) = 1 AND day(birth) = 1 THEN 0 ELSE 1 END) AS age
  FROM cohort),
lines_all AS (
  SELECT member_id, allowed,
    CASE WHEN from_date BETWEEN DATE '2023-01-01' AND DATE '2023-12-31' THEN 'base'
         WHEN from_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31' THEN 'measure' END AS period
  FROM claims),
sums AS (
  SELECT member_id, period, CAST(sum(allowed) * 100 AS BIGINT) AS raw
  FROM lines_all WHERE period IS NOT NULL GROUP BY ALL),
costs AS (
  SELECT c.*, coalesce(s.raw, 0) AS raw FROM aged c LEFT JOIN sums s USING (member_id, period)),
ranks AS (
  SELECT period, raw, row_number() OVER (PARTITION BY period ORDER BY raw) AS rk,
         count(*) OVER (PARTITION BY period) AS n FROM costs),
thresholds AS (SELECT period, raw AS threshold FROM ranks WHERE rk = ceil(0.99 * n)::BIGINT),
capped AS (
  SELECT c.*, least(c.raw, t.threshold) AS cost FROM costs c JOIN thresholds t USING (period)),
factors AS (
  SELECT dimension, key, CAST(round(CAST(factor AS DECIMAL(18,6)) * 1000000) AS BIGINT) AS f
  FROM read_csv({{factors}}, delim = '\t', header = true, all_varchar = true)),
bands AS (
  SELECT split_part(key, ':', 1) AS sex,
    CAST(split_part(split_part(key, ':', 2), '-', 1) AS INT) AS lo,
    CAST(split_part(split_part(key, ':', 2), '-', 2) AS INT) AS hi, f
  FROM factors WHERE dimension = 'demographic'),
member_factors AS (
  SELECT c.org_id, c.period, c.mm, b.f AS f_demo, c.risk AS f_risk, n.f AS f_net, p.f AS f_plan,
    g.f AS f_geo
  FROM capped c
  JOIN bands b ON b.sex = c.sex AND c.age BETWEEN b.lo AND b.hi
  JOIN factors n ON n.dimension = 'network' AND n.key = c.network
  JOIN factors p ON p.dimension = 'plan' AND p.key = c.plan
  JOIN factors g ON g.dimension = 'geographic' AND g.key = c.region),
mix AS (
  SELECT org_id, period,
    rnd(sum(f_demo::HUGEINT * mm), sum(mm) * 100) AS d, rnd(sum(f_risk::HUGEINT * mm), sum(mm) * 100) AS r,
    rnd(sum(f_net::HUGEINT * mm), sum(mm) * 100) AS n, rnd(sum(f_plan::HUGEINT * mm), sum(mm) * 100) AS p,
    rnd(sum(f_geo::HUGEINT * mm), sum(mm) * 100) AS g
  FROM member_factors GROUP BY ALL),
aggregate_f AS (
  SELECT org_id, period, rnd(d::HUGEINT * r * n * p * g, 10000000000000000::HUGEINT) AS f FROM mix),
adjust AS (
  SELECT b.org_id, rnd(m.f * 10000, b.f) AS g
  FROM aggregate_f b JOIN aggregate_f m ON m.org_id = b.org_id AND m.period = 'measure'
  WHERE b.period = 'base'),
org_periods AS (
  SELECT org_id, period, count(*) AS members, sum(mm) AS mm, sum(cost) AS cost
  FROM capped GROUP BY ALL),
target AS (
  SELECT b.org_id, rnd(rnd(rnd(b.cost, b.mm) * 1050000, 1000000) * a.g, 10000) AS pmpm
  FROM org_periods b JOIN adjust a USING (org_id) WHERE b.period = 'base'),
quality AS (
  SELECT org_id, CAST(round(CAST(quality_score AS DECIMAL(18,6)) * 1000000) AS BIGINT) AS q
  FROM read_csv({{quality}}, delim = '\t', header = true, all_varchar = true)),
inputs AS (
  SELECT m.org_id, t.pmpm, t.pmpm * m.mm AS tt, m.cost AS actual, t.pmpm * m.mm - m.cost AS a,
    CASE WHEN q.q >= 300000 THEN 500000::HUGEINT * q.q ELSE 0 END AS final
  FROM org_periods m JOIN target t USING (org_id) JOIN quality q USING (org_id)
  WHERE m.period = 'measure'),
settled AS (
  SELECT org_id, pmpm, actual,
    CASE WHEN a > 0 AND a * 1000000 >= 20000 * tt
           THEN least(rnd(a::HUGEINT * final * 980000, 1000000000000000000::HUGEINT), rnd(100000 * tt, 1000000))
         WHEN a < 0 AND -a * 1000000 >= 20000 * tt
           THEN greatest(rnd(a::HUGEINT * least(greatest(1000000000000 - final, 400000000000), 750000000000),
                             1000000000000), -rnd(50000 * tt, 1000000))
         ELSE 0 END AS net
  FROM inputs)
SELECT org_id, pmpm::VARCHAR AS target_pmpm, actual::VARCHAR AS actual_total, net::VARCHAR AS net
FROM settled ORDER BY org_id

-- attribution.sql — the two-step plurality attribution of attribute(1) as
-- DuckDB SQL over the bench extract (base 2023, measure 2024): qualifying
-- codes, roster orgs against TINs and unrostered providers, step 2 only for
-- members without a step-1 service, ties by the latest service then the id.
-- It follows sql/claims.sql; its CTEs end in `attribution` (member_id,
-- period, org_id, allowed); a query follows. {{roster}} is replaced by a
-- quoted path.
,
roster AS (
  SELECT * FROM read_csv({{roster}}, delim = '\t', header = true,
    columns = {'provider_id': 'VARCHAR', 'org_id': 'VARCHAR', 'role': 'VARCHAR'})),
lines AS (
  SELECT c.member_id, c.from_date, c.allowed,
    CASE WHEN c.from_date BETWEEN DATE '2023-01-01' AND DATE '2023-12-31' THEN 'base'
         WHEN c.from_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31' THEN 'measure' END AS period,
    CASE WHEN r.org_id IS NOT NULL THEN 'o' WHEN coalesce(c.tin, '') <> '' THEN 't' ELSE 'p' END AS kind,
    CASE WHEN r.org_id IS NOT NULL THEN r.org_id WHEN coalesce(c.tin, '') <> '' THEN c.tin
         ELSE c.provider_id END AS comp,
    CASE WHEN r.org_id IS NOT NULL THEN (CASE WHEN coalesce(r.role, 'pcp') = 'pcp' THEN 1 ELSE 2 END)
         WHEN c.specialty IS NULL OR c.specialty IN ('01','08','11','37','38','50','89','97') THEN 1
         ELSE 2 END AS step
  FROM claims c LEFT JOIN roster r USING (provider_id)
  WHERE c.hcpcs IN ('99201','99202','99203','99204','99205','99211','99212','99213','99214','99215',
  '99304','99305','99306','99307','99308','99309','99310','99315','99316','99318',
  '99324','99325','99326','99327','99328','99334','99335','99336','99337','99339','99340',
  '99341','99342','99343','99344','99345','99347','99348','99349','99350',
  '99354','99355','99417','G2212','G0402','G0438','G0439','99495','99496','99490','99491',
  '99487','99489','99439','99424','99425','99426','99427','G0506','G2058','99497','99498',
  '99484','99492','99493','99494','G2214','G0442','G0443','G0444','G0446','G0447','99406',
  '99407','G2010','G2012','99421','99422','99423','G0463','G0466','G0467','G0468','G0469','G0470') AND coalesce(r.role, '') <> 'other'),
steps AS (SELECT member_id, period, min(step) AS step FROM lines WHERE period IS NOT NULL GROUP BY ALL),
agg AS (
  SELECT l.member_id, l.period, kind, comp, sum(allowed) AS allowed, max(from_date) AS last
  FROM lines l JOIN steps s USING (member_id, period, step) GROUP BY ALL),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY member_id, period
                               ORDER BY allowed DESC, last DESC, comp, kind) AS rk FROM agg),
attribution AS (
  SELECT member_id, period, comp AS org_id, allowed FROM ranked WHERE rk = 1 AND kind = 'o' AND allowed > 0)

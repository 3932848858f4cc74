-- claims.sql — the bench extract's claim lines as the `claims` CTE, typed
-- as the tools read them (dates, amounts in DECIMAL). Every bench query
-- starts with it. {{claims}} is replaced by a quoted path.
WITH claims AS (
  SELECT * FROM read_csv({{claims}}, delim = '\t', header = true, quote = '', escape = '',
    columns = {'member_id': 'VARCHAR', 'claim_id': 'VARCHAR', 'line': 'VARCHAR',
      'from_date': 'DATE', 'thru_date': 'VARCHAR', 'paid_date': 'VARCHAR',
      'provider_id': 'VARCHAR', 'tin': 'VARCHAR', 'specialty': 'VARCHAR', 'hcpcs': 'VARCHAR',
      'pos': 'VARCHAR', 'category': 'VARCHAR', 'allowed': 'DECIMAL(18,2)',
      'paid': 'DECIMAL(18,2)', 'dx1': 'VARCHAR'}))

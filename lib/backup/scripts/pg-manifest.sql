-- One line per user table: name, row count, md5 of its rows in a stable order.
SELECT format(
  'SELECT %L AS tbl, count(*) AS n, md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) FROM %I.%I t',
  format('%I.%I', schemaname, tablename), schemaname, tablename)
FROM pg_tables
WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
ORDER BY schemaname, tablename
\gexec

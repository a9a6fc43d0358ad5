-- One line per user table: name, row count, and an order-independent checksum streamed row by row
-- (the two 64-bit halves of each row's md5, summed as numeric): no sort, and never one string of the
-- whole table (string_agg breaks at 1 GiB of text).
SELECT format(
  'SELECT %L AS tbl, count(*) AS n, md5(coalesce(sum((''x'' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0) || '':'' || coalesce(sum((''x'' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)) FROM (SELECT md5(t::text) AS h FROM %I.%I t) AS rows',
  format('%I.%I', schemaname, tablename), schemaname, tablename)
FROM pg_tables
WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
ORDER BY schemaname, tablename
\gexec

CREATE OR REPLACE FUNCTION observatory_set_retention(days integer) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM remove_retention_policy('spans', if_exists => true);
  PERFORM add_retention_policy('spans', make_interval(days => days));
END
$$;

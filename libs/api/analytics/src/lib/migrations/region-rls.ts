/**
 * Row-level security of a region table (no tenant: rows aggregate several operators): the platform and the authorities of the
 * region read it, only the platform (the rollup, the nightly refresh) writes it. The SQL every region table's migration runs.
 */
export const regionTableRls = (t: string) => `
  ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
  ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
  CREATE POLICY ${t}_read ON ${t} FOR SELECT USING (
    (SELECT app_is_platform()) OR ((SELECT app_region_prefix()) <> '' AND region_code LIKE (SELECT app_region_prefix()) || '%'));
  CREATE POLICY ${t}_insert ON ${t} FOR INSERT WITH CHECK (app_is_platform());
  CREATE POLICY ${t}_update ON ${t} FOR UPDATE USING (app_is_platform()) WITH CHECK (app_is_platform());
  CREATE POLICY ${t}_delete ON ${t} FOR DELETE USING (app_is_platform());
  GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO linggong_app_access;
`;

/** The Postgres schema the catalog owns; its SQL names tables as `catalog.<table>`. */
export const CATALOG_SCHEMA = 'catalog';

/** The Postgres schema identity owns; its SQL names tables as `identity.<table>`. */
export const IDENTITY_SCHEMA = 'identity';

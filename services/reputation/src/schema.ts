/** The Postgres schema reputation owns; its SQL names tables as `reputation.<table>`. */
export const REPUTATION_SCHEMA = 'reputation';

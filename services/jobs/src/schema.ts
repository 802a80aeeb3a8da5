/** The Postgres schema jobs owns; its SQL names tables as `jobs.<table>`. */
export const JOBS_SCHEMA = 'jobs';

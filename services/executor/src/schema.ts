/** The Postgres schema the executor owns; its SQL names tables as `executor.<table>`. */
export const EXECUTOR_SCHEMA = 'executor';

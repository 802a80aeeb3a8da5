/** The Postgres schema messaging owns; its SQL names tables as `messaging.<table>`. */
export const MESSAGING_SCHEMA = 'messaging';

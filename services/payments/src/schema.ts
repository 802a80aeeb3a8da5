/** The Postgres schema payments owns; its SQL names tables as `payments.<table>`. */
export const PAYMENTS_SCHEMA = 'payments';

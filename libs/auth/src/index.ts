export * from './account-wire.ts';
export * from './jwt.ts';
export * from './keyring.ts';
export * from './password.ts';

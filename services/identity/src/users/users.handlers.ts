import { SUBJECTS } from '@agentmarket/contracts';
import { ACCOUNT_SUBJECTS, loginCommandSchema, registerUserInputSchema, userRefSchema } from '@agentmarket/auth';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { UsersService } from './users.service.ts';

/** Request/reply subjects of people's accounts. */
export function userHandlers(users: UsersService): Record<string, RequestHandler> {
  return {
    [SUBJECTS.identity.registerUser]: handler(registerUserInputSchema, (input) => users.register(input)),
    [SUBJECTS.identity.login]: handler(loginCommandSchema, (input, { logger }) => users.login(input, logger)),
    [ACCOUNT_SUBJECTS.getUser]: handler(userRefSchema, (input) => users.getAccount(input.user_id)),
  };
}

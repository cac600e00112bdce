// Request rules of the auth RPCs beside sign-up's (account.ts), as zod schemas whose issue paths are the request's
// field names, so INVALID_ARGUMENT names the field the caller has to fix.
import { z } from 'zod';

const uuid = z.uuid({ error: 'must be a UUID' });
const required = z.string().min(1, { error: 'is required' });

/** accountIdRequest validates GetAccount and RequestAccountDeletion. */
export const accountIdRequest = z.object({ accountId: uuid });

/** loginRequest validates Login (the password is checked against its hash, not against the sign-up rules). */
export const loginRequest = z.object({ email: required, password: required });

/** refreshRequest validates Refresh. */
export const refreshRequest = z.object({ refreshToken: required });

/** logoutRequest validates Logout. */
export const logoutRequest = z.object({ refreshToken: required, accountId: uuid });

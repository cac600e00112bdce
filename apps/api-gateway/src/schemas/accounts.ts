// Accounts and tokens: request bodies, responses, and their mapping from blog.auth.v1.
import { FieldRules, type auth } from '@blog/proto';
import { Type } from 'typebox';
import { enumName, optionalEnumName, ruleString, stringEnum, Uuid } from './common';

/** ACCOUNT_STATUSES are the REST names of auth.v1.AccountStatus. */
export const ACCOUNT_STATUSES = ['PENDING', 'ACTIVE', 'REJECTED', 'DELETING', 'DELETED'] as const;

/** Email: a valid address of at most 254 characters. */
export const Email = Type.String({ format: 'email', maxLength: FieldRules.email.maxLength });
/** Password: 8 to 128 characters. */
export const Password = ruleString(FieldRules.password);
/** Nickname: 3 to 30 characters of [A-Za-z0-9_]. */
export const Nickname = ruleString(FieldRules.nickname);
/** BlogSlug: 3 to 40 characters of [a-z0-9-]. */
export const BlogSlug = ruleString(FieldRules.blogSlug);

/** CreateAccountBody is the sign-up request. */
export const CreateAccountBody = Type.Object(
  { email: Email, password: Password, nickname: Nickname, blogSlug: Type.Optional(BlogSlug) },
  { additionalProperties: false },
);

/** AccountAccepted is the 202 of a saga started on an account (sign-up, deletion). */
export const AccountAccepted = Type.Object({ accountId: Uuid, status: stringEnum(ACCOUNT_STATUSES) });

/** Account is an account's saga-visible status. */
export const Account = Type.Object({
  accountId: Uuid,
  status: stringEnum(ACCOUNT_STATUSES),
  reason: Type.Optional(
    stringEnum(['NICKNAME_TAKEN', 'BLOG_SLUG_TAKEN'], { description: 'on REJECTED only' }),
  ),
});

/** LoginBody is email and password. */
export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);

/** RefreshTokenBody carries a refresh token (refresh, logout). */
export const RefreshTokenBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);

/** TokenPair is what login and refresh answer. */
export const TokenPair = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'access token lifetime in seconds' }),
  userId: Uuid,
});

/** accountStatusName maps auth.v1.AccountStatus to its REST name. */
export function accountStatusName(status: auth.AccountStatus): string {
  return enumName(status, 'ACCOUNT_STATUS_');
}

/** toAccount maps an auth.v1.Account; `reason` only when the account was rejected with one. */
export function toAccount(account: auth.Account) {
  const status = accountStatusName(account.status);
  const reason = status === 'REJECTED' ? optionalEnumName(account.reason, 'REJECTION_REASON_') : undefined;
  return { accountId: account.accountId, status, ...(reason ? { reason } : {}) };
}

/** toTokenPair maps an auth.v1.TokenPair. */
export function toTokenPair(tokens: auth.TokenPair) {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: 'Bearer' as const,
    expiresIn: tokens.expiresIn,
    userId: tokens.userId,
  };
}

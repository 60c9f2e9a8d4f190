/**
 * IAM users. The sandbox has none (the lab works with roles): GetUser without a UserName describes
 * the caller, which is the account root for long-term keys, and ListUsers lists nothing.
 */
import type { IAM, User } from '@aws-sdk/client-iam';
import { isRoot } from '../../../auth.js';
import type { HandlerMap, RequestContext } from '../../types.js';
import { IamErrors } from '../errors.js';
import { iamPage } from '../state.js';

/** The root's CreateDate: the sandbox keeps no account creation time, so one fixed date, the same on every call and restart. */
export const ROOT_CREATED = new Date('2020-01-01T00:00:00Z');

/**
 * Checks that a call about "the caller's own user" (no UserName) comes from the root: a named
 * user does not exist (NoSuchEntity) and a role session is no user (ValidationError).
 */
export function rootCaller(userName: string | undefined, ctx: RequestContext): void {
  if (userName !== undefined) throw IamErrors.noSuchEntity(`The user with name ${userName} cannot be found.`);
  if (!isRoot(ctx.principal)) throw IamErrors.validation('Must specify userName when calling with non-User credentials');
}

/** User operations. */
export const userHandlers: HandlerMap<IAM> = {
  GetUser(input, ctx) {
    rootCaller(input.UserName, ctx);
    // AWS describes the root with its ARN, the account id as UserId and no UserName or Path.
    return { User: { Path: undefined, UserName: undefined, UserId: ctx.account, Arn: ctx.principal.arn, CreateDate: ROOT_CREATED } };
  },

  ListUsers(input) {
    // PathPrefix filters nothing here; Marker and MaxItems are read as ListRoles reads them.
    const page = iamPage<User>([], input.Marker, input.MaxItems);
    return { Users: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
};

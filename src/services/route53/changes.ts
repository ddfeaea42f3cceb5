// GetChange. localnet applies a change when its request commits and the DNS
// server reloads right after, so a change is already served when
// ChangeResourceRecordSets answers. The answer to the write itself says
// PENDING (as Route 53's does); every GetChange answers INSYNC. Waiters
// (resourceRecordSetsChanged) therefore succeed on their first poll.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { bareId } from './common.ts';
import { globalScope, KIND, type Change } from './types.ts';

export function getChange(input: { Id: string }, env: HandlerEnv) {
  const id = bareId(input.Id, 'change');
  const change = env.store.get<Change>(KIND.change, globalScope(env.ctx.account), id);
  if (!change) throw new AwsError('NoSuchChange', `A change with the specified change ID does not exist: ${id}`, 404);
  return { ChangeInfo: { Id: `/change/${change.Id}`, Status: 'INSYNC', SubmittedAt: new Date(change.SubmittedAt), Comment: change.Comment } };
}

export const changeHandlers = {
  GetChange: getChange,
} satisfies Handlers;

import { describe, expect, it } from 'vitest';
import type { PermissionId } from '@yunwei/contracts/access';
import { type Actor, systemActor } from './actor.js';
import { requireReach, unitsReached } from './data-scope.js';
import { AppError } from './errors.js';

const READ = 'checks.check.read' as PermissionId;
const WRITE = 'checks.check.write' as PermissionId;

function actorWith(scopes: [PermissionId, 'all' | string[]][]): Actor {
  return {
    ...systemActor('t'),
    kind: 'user',
    userId: 'u1',
    permissions: new Set(scopes.map(([p]) => p)),
    scopes: new Map(scopes.map(([p, s]) => [p, s === 'all' ? 'all' : new Set(s)])),
  };
}

const codeOf = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (error) {
    return (error as AppError).code;
  }
};
const notFound = () => new AppError('YW_CHECK_NOT_FOUND');

describe('requireReach', () => {
  const scoped = actorWith([
    [READ, ['a', 'b']],
    [WRITE, ['a']],
  ]);

  it('passes inside the scope of the permission', () => {
    expect(codeOf(() => requireReach(scoped, 'a', WRITE, READ, notFound))).toBeNull();
    expect(codeOf(() => requireReach(scoped, 'b', READ, READ, notFound))).toBeNull();
  });

  it('is a 403 for a row readable but outside the write scope, a 404 for one not readable', () => {
    expect(codeOf(() => requireReach(scoped, 'b', WRITE, READ, notFound))).toBe('YW_OUT_OF_SCOPE');
    expect(codeOf(() => requireReach(scoped, 'c', WRITE, READ, notFound))).toBe('YW_CHECK_NOT_FOUND');
    expect(codeOf(() => requireReach(scoped, 'c', READ, READ, notFound))).toBe('YW_CHECK_NOT_FOUND');
  });

  it('a row of no unit needs an unrestricted grant; the system actor reaches everything', () => {
    expect(codeOf(() => requireReach(scoped, null, READ, READ, notFound))).toBe('YW_CHECK_NOT_FOUND');
    expect(codeOf(() => requireReach(actorWith([[READ, 'all']]), null, READ, READ, notFound))).toBeNull();
    expect(codeOf(() => requireReach(systemActor(), 'z', WRITE, READ, notFound))).toBeNull();
  });
});

describe('unitsReached', () => {
  it('#10.16 is null for an unrestricted grant and the system actor, the units otherwise, none when not held', () => {
    expect(unitsReached(systemActor(), READ)).toBeNull();
    expect(unitsReached(actorWith([[READ, 'all']]), READ)).toBeNull();
    expect([...unitsReached(actorWith([[READ, ['a', 'b']]]), READ)!]).toEqual(['a', 'b']);
    expect(unitsReached(actorWith([[READ, ['a']]]), WRITE)!.size).toBe(0);
  });
});

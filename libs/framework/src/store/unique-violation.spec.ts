import { describe, expect, it } from 'vitest';
import { isUniqueViolation } from './unique-violation';

// What pg's DatabaseError carries for `insert` into a table whose unique index already has the key.
const duplicate = (constraint: string) =>
  Object.assign(new Error(`duplicate key value violates unique constraint "${constraint}"`), {
    code: '23505',
    constraint,
  });

describe('isUniqueViolation', () => {
  it('recognises a duplicate key, of any index or of the one named', () => {
    expect(isUniqueViolation(duplicate('profile_nickname_key'))).toBe(true);
    expect(isUniqueViolation(duplicate('profile_nickname_key'), 'profile_nickname_key')).toBe(true);
  });

  it("is false for another index's duplicate when an index is named", () => {
    expect(isUniqueViolation(duplicate('profile_pkey'), 'profile_nickname_key')).toBe(false);
  });

  it('is false for other failures and for anything not an error object', () => {
    const foreignKey = Object.assign(new Error('violates foreign key'), { code: '23503', constraint: 'fk' });
    for (const error of [
      foreignKey,
      new Error('connection terminated'),
      '23505',
      null,
      undefined,
      { code: 23505 },
    ]) {
      expect(isUniqueViolation(error)).toBe(false);
    }
  });
});

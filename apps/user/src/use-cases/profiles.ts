// Profile use cases behind the RPCs: read a profile, update the caller's nickname or bio (UserUpdated).
import { AlreadyExistsError, NotFoundError, withEvents, type Outbox, type Store } from '@blog/framework';
import { UserUpdated } from '@blog/proto';
import { hasChanges, type Profile, type ProfileChanges } from '../domain/profile';
import { findProfile, updateProfile } from '../repository/profile.repository';

/** ProfilesDeps are what the profile use cases need. */
export interface ProfilesDeps {
  readonly store: Store;
  readonly outbox: Outbox;
}

const notFound = () => new NotFoundError('user not found');

/** Profiles runs the profile use cases. */
export class Profiles {
  constructor(private readonly deps: ProfilesDeps) {}

  /** get returns a profile, or NOT_FOUND. */
  async get(userId: string): Promise<Profile> {
    const profile = await findProfile(this.deps.store, userId);
    if (!profile) throw notFound();
    return profile;
  }

  /** update changes the given fields and emits UserUpdated; a taken nickname is ALREADY_EXISTS. */
  async update(userId: string, changes: ProfileChanges): Promise<Profile> {
    if (!hasChanges(changes)) return this.get(userId);
    return withEvents(this.deps.store, this.deps.outbox, async ({ tx, emit }) => {
      const result = await updateProfile(tx, userId, changes);
      if (result.outcome === 'not-found') throw notFound();
      if (result.outcome === 'nickname-taken') {
        throw new AlreadyExistsError('this nickname is taken', {
          violations: [{ field: 'nickname', message: 'is already taken' }],
          reason: 'NICKNAME_TAKEN',
        });
      }
      const { profile } = result;
      await emit(UserUpdated, userId, { userId, nickname: profile.nickname, bio: profile.bio });
      return profile;
    });
  }
}

// Sign-up saga: PENDING -> ACTIVE with profile and blog, and both compensations (NICKNAME_TAKEN, BLOG_SLUG_TAKEN)
// leaving nothing behind: the rejected nickname and slug are free again, no profile, no blog, the email reusable.
import { expect, it } from 'vitest';
import { credentials, expectStatus, uniqueNickname } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { api, sagas } = suite();
const slugOf = (nickname: string) => nickname.toLowerCase().replaceAll('_', '-');

scenario('sign-up saga', [], () => {
  it('makes the account ACTIVE with its profile and its blog', async () => {
    const who = credentials(uniqueNickname('Su'));
    const account = await sagas.signUp(who);
    expect(account).toEqual({ accountId: account.accountId, status: 'ACTIVE' });

    const profile = await api.get(`/v1/users/${account.accountId}`);
    expectStatus(profile, 200);
    expect(profile.body).toMatchObject({ userId: account.accountId, nickname: who.nickname });

    const blog = await api.get(`/v1/users/${account.accountId}/blog`);
    expectStatus(blog, 200);
    expect(blog.body).toMatchObject({
      ownerId: account.accountId,
      slug: slugOf(who.nickname),
      title: `${who.nickname}'s blog`,
      description: '',
      status: 'ACTIVE',
      postCount: 0,
      subscriberCount: 0,
    });
    expectStatus(await api.get(`/v1/blogs/by-slug/${slugOf(who.nickname)}`), 200);

    const member = await sagas.signIn(who, account.accountId);
    const me = await api.get('/v1/users/me', { token: member.token });
    expectStatus(me, 200);
    expect(me.body.userId).toBe(account.accountId);
  });

  it('rejects a taken nickname (case-insensitively) with NICKNAME_TAKEN and leaves nothing behind', async () => {
    const first = credentials(uniqueNickname('Nt'));
    expect((await sagas.signUp(first)).status).toBe('ACTIVE');

    const second = { ...credentials(), nickname: first.nickname.toUpperCase() };
    const wantedSlug = `free-${uniqueNickname('s').toLowerCase().replaceAll('_', '-')}`;
    const rejected = await sagas.signUp(second, wantedSlug);
    expect(rejected).toMatchObject({ status: 'REJECTED', reason: 'NICKNAME_TAKEN' });

    expectStatus(await api.get(`/v1/users/${rejected.accountId}`), 404);
    expectStatus(await api.get(`/v1/users/${rejected.accountId}/blog`), 404);
    expectStatus(await api.get(`/v1/blogs/by-slug/${wantedSlug}`), 404);
    expectStatus(await api.post('/v1/auth/login', { email: second.email, password: second.password }), 401);

    // The slug it asked for was never kept, and its email can sign up again.
    const retry = await sagas.signUp({ ...second, nickname: uniqueNickname('Nr') }, wantedSlug);
    expect(retry.status).toBe('ACTIVE');
    expectStatus(await api.get(`/v1/blogs/by-slug/${wantedSlug}`), 200);
  });

  it('rejects a taken blog slug with BLOG_SLUG_TAKEN: no profile, no blog, the nickname free again', async () => {
    const owner = credentials(uniqueNickname('Bo'));
    const ownerAccount = await sagas.signUp(owner);
    expect(ownerAccount.status).toBe('ACTIVE');

    const late = credentials(uniqueNickname('Bl'));
    const rejected = await sagas.signUp(late, slugOf(owner.nickname));
    expect(rejected).toMatchObject({ status: 'REJECTED', reason: 'BLOG_SLUG_TAKEN' });

    expectStatus(await api.get(`/v1/users/${rejected.accountId}`), 404);
    expectStatus(await api.get(`/v1/users/${rejected.accountId}/blog`), 404);
    const slugOwner = await api.get(`/v1/blogs/by-slug/${slugOf(owner.nickname)}`);
    expectStatus(slugOwner, 200);
    expect(slugOwner.body.ownerId).toBe(ownerAccount.accountId);
    expectStatus(await api.post('/v1/auth/login', { email: late.email, password: late.password }), 401);

    // The compensation deleted the profile: the same nickname signs up now (with its default slug).
    const again = await sagas.signUp({ ...credentials(), nickname: late.nickname });
    expect(again.status).toBe('ACTIVE');
    const profile = await api.get(`/v1/users/${again.accountId}`);
    expect(profile.body).toMatchObject({ nickname: late.nickname });
  });

  it('refuses a second sign-up with an email in use (409) while the first account is not rejected', async () => {
    const who = credentials(uniqueNickname('Em'));
    const started = await sagas.startSignUp(who);
    const again = await api.post('/v1/accounts', { ...who, nickname: uniqueNickname('Em2') });
    expectStatus(again, 409);
    expect(again.body.error.code).toBe('ALREADY_EXISTS');
    expect((await sagas.awaitAccount(started)).status).toBe('ACTIVE');
  });
});

// Tables of OAuth logins (第三方登录, 账号绑定): which external identity is linked to which account,
// and the single-use keys that refuse a replayed state, code or sign-in ticket across hub nodes.
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../schema.ts';

/**
 * 账号绑定: an account's identity at an external provider. The provider's identifier (openid,
 * unionid, sub) is sealed; `subjectIndex` (a keyed blind index) finds it on login.
 */
export const externalIdentities = pgTable(
  'external_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The provider's id in ECOURT_OAUTH_PROVIDERS ("wechat", "court-idp"). */
    provider: text('provider').notNull(),
    subjectIndex: text('subject_index').notNull(),
    subjectSealed: text('subject_sealed').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('external_identities_subject_unique').on(t.provider, t.subjectIndex),
    // One identity per provider and account: a second WeChat on the same account is refused.
    uniqueIndex('external_identities_user_provider_unique').on(t.userId, t.provider),
  ],
);

/** Keys used once (hashed state, code or ticket) until they expire; a second use is a replay. */
export const oauthUsedKeys = pgTable(
  'oauth_used_keys',
  {
    key: text('key').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oauth_used_keys_expires_idx').on(t.expiresAt)],
);

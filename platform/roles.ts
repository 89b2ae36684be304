// The roles a platform account can have (用户角色).
export const ROLES = ['party', 'lawyer', 'judge', 'clerk', 'courtAdmin', 'institution'] as const;
export type Role = (typeof ROLES)[number];

/** Court staff act for a court and see that court's cases. */
export const COURT_STAFF_ROLES: readonly Role[] = ['judge', 'clerk', 'courtAdmin'];
/** Litigants see only the cases they are a party to (or represent). */
export const LITIGANT_ROLES: readonly Role[] = ['party', 'lawyer', 'institution'];

export const isCourtStaff = (role: string): boolean => (COURT_STAFF_ROLES as readonly string[]).includes(role);

// What other modules may know about an account: no password hash, no identifiers.
export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  courtId: string | null;
}

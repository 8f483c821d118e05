import type { Role } from './permissions.ts'

/** Who is acting: a signed-in user, or an integrator's API token (acting for the admin who made it). */
export interface Actor {
  /** null only for the system itself (boot-time seeding, CLI jobs). */
  userId: string | null
  role: Role
  /** null for a signed-in user; set when the request came with an API token. */
  tokenId: string | null
  /** Shown in the audit log: the user's email or `token:<name>`. */
  label: string
}

export interface RequestContext {
  actor: Actor
  requestId: string
  /** When the credential of the request expires, if it does: long-lived responses (the event stream) end then. */
  credentialExpiresAt?: Date | null
}

/** For writes that no request makes: boot-time seeding, CLI jobs. */
export const systemContext = (label = 'system'): RequestContext => ({
  actor: { userId: null, role: 'admin', tokenId: null, label },
  requestId: label,
})

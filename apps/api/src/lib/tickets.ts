import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'

/**
 * Event tickets: the token in a registration's QR code. `<memberId>.<signature>`, the signature an
 * HMAC-SHA-256 of the member id under a key derived from the app's secret, cut to 128 bits: it
 * cannot be guessed or forged, and it needs no table. Single use is the member's status: a ticket
 * whose member has attended checks in no one again.
 */
export function ticketKey(appSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'yardstick', 'event-ticket-v1', 32))
}

const signature = (key: Buffer, memberId: string) => createHmac('sha256', key).update(memberId).digest().subarray(0, 16)

export function signTicket(key: Buffer, memberId: string): string {
  return `${memberId}.${signature(key, memberId).toString('base64url')}`
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The member id a ticket was signed for, or null for anything else (a typo, a forgery, another app's ticket). */
export function verifyTicket(key: Buffer, token: string): string | null {
  const [memberId, sent, extra] = token.trim().split('.')
  if (!memberId || !sent || extra !== undefined || !UUID.test(memberId)) return null
  const given = Buffer.from(sent, 'base64url')
  const expected = signature(key, memberId)
  return given.length === expected.length && timingSafeEqual(given, expected) ? memberId : null
}

import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signTicket, ticketKey, verifyTicket } from './tickets.ts'

describe('event tickets', () => {
  const key = ticketKey('a-secret-long-enough-for-the-app')

  it('gives back the member a ticket was signed for', () => {
    const memberId = randomUUID()
    expect(verifyTicket(key, signTicket(key, memberId))).toBe(memberId)
  })

  it('refuses a ticket with its signature changed, moved to another member, or signed under another secret', () => {
    const memberId = randomUUID()
    const ticket = signTicket(key, memberId)
    const [, sig] = ticket.split('.')
    const flipped = `${memberId}.${sig![0] === 'A' ? 'B' : 'A'}${sig!.slice(1)}`
    expect(verifyTicket(key, flipped)).toBeNull()
    expect(verifyTicket(key, `${randomUUID()}.${sig}`)).toBeNull()
    expect(verifyTicket(ticketKey('another-secret-long-enough-too'), ticket)).toBeNull()
    expect(verifyTicket(key, `${ticket}.x`)).toBeNull()
    expect(verifyTicket(key, 'not a ticket')).toBeNull()
  })
})

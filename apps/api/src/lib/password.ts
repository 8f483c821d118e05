import { hash, verify } from '@node-rs/argon2'
import { randomBytes } from 'node:crypto'

// Algorithm.Argon2id; the package exports it as an ambient const enum, which isolated modules cannot read.
const OPTIONS = { algorithm: 2 } as const

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS)

// Verifying against this when the email is unknown makes both failures take the same time.
let dummyHash: Promise<string> | undefined

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'))
    await verify(await dummyHash, password).catch(() => false)
    return false
  }
  return verify(passwordHash, password).catch(() => false)
}

/** A password a person can type: 16 characters from an alphabet without look-alikes. */
export function generatePassword(length = 16): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  const bytes = randomBytes(length)
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')
}

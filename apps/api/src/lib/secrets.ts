import { createHash, randomBytes } from 'node:crypto'

/** Opaque secrets (refresh and API tokens) are stored as SHA-256: high-entropy, so no salt is needed. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex')

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url')

import { existsSync } from 'node:fs'
import path from 'node:path'
import { parse as parseDotenv } from 'dotenv'
import { readFileSync } from 'node:fs'

export type NodeEnv = 'development' | 'production' | 'test'
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export interface Config {
  readonly nodeEnv: NodeEnv
  readonly port: number
  readonly host: string
  readonly logLevel: LogLevel
  /** External PostgreSQL; null means start the embedded one in `dataDir/pg`. */
  readonly databaseUrl: string | null
  readonly databasePoolSize: number
  readonly dataDir: string
  /** null outside production: main.ts generates one and keeps it in the data dir. */
  readonly jwtSecret: string | null
  readonly accessTokenTtlSeconds: number
  readonly refreshTokenTtlDays: number
  readonly adminEmail: string | null
  readonly adminPassword: string | null
  readonly demoData: boolean
  readonly corsOrigins: readonly string[]
  readonly bodyLimitBytes: number
  readonly trustProxy: boolean
  /** Where the built SPA lives; served from the API's origin when it exists. */
  readonly webDist: string
  /** null: /metrics is open; set: it wants `Authorization: Bearer <metricsToken>`. */
  readonly metricsToken: string | null
  /** The company's IANA time zone: analytics count days, weeks and months in it. */
  readonly timeZone: string
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const NODE_ENVS: readonly NodeEnv[] = ['development', 'production', 'test']

/** Repo root when running from source; relative paths in the environment are resolved against it. */
export const repoRoot = path.resolve(import.meta.dirname, '../../..')

/**
 * Reads `.env` (optional) under the real environment: a variable set in the
 * environment always wins over the file, as in docker compose.
 */
export function readEnv(env: Env = process.env, dotenvPath = path.join(process.env.INIT_CWD ?? process.cwd(), '.env')): Env {
  if (!existsSync(dotenvPath)) return { ...env }
  return { ...parseDotenv(readFileSync(dotenvPath)), ...env }
}

/** Validates the environment once; every bad variable is listed, not just the first. */
export function loadConfig(env: Env = readEnv()): Config {
  const problems: string[] = []
  const str = (name: string): string | undefined => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = str(name)
    if (value === undefined) return fallback
    if ((allowed as readonly string[]).includes(value)) return value as T
    problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`)
    return fallback
  }
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const value = str(name)
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`)
      return fallback
    }
    return n
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const value = str(name)?.toLowerCase()
    if (value === undefined) return fallback
    if (['1', 'true', 'yes', 'on'].includes(value)) return true
    if (['0', 'false', 'no', 'off'].includes(value)) return false
    problems.push(`${name} must be 1/0, true/false, yes/no or on/off (got "${value}")`)
    return fallback
  }

  const nodeEnv = oneOf('NODE_ENV', NODE_ENVS, 'development')
  const port = int('PORT', 3000, 0, 65535)
  const host = str('HOST') ?? (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1')
  const logLevel = oneOf('LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info')

  const databaseUrl = str('DATABASE_URL') ?? null
  if (databaseUrl !== null) {
    try {
      const url = new URL(databaseUrl)
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
        problems.push(`DATABASE_URL must start with postgres:// or postgresql:// (got "${url.protocol}")`)
      }
    } catch {
      problems.push('DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/db)')
    }
  }
  const databasePoolSize = int('DATABASE_POOL_SIZE', 20, 1, 500)
  const dataDir = path.resolve(env.INIT_CWD ?? repoRoot, str('CRM_DATA_DIR') ?? './data')

  const jwtSecret = str('JWT_SECRET') ?? null
  if (jwtSecret === null && nodeEnv === 'production') {
    problems.push('JWT_SECRET is required when NODE_ENV=production (generate one with: openssl rand -hex 32)')
  } else if (jwtSecret !== null && jwtSecret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters long')
  }
  const accessTokenTtlSeconds = int('ACCESS_TOKEN_TTL_SECONDS', 15 * 60, 30, 24 * 3600)
  const refreshTokenTtlDays = int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365)

  const adminEmail = str('CRM_ADMIN_EMAIL')?.toLowerCase() ?? null
  if (adminEmail !== null && !/^[^\s@]+@[^\s@]+$/.test(adminEmail)) {
    problems.push(`CRM_ADMIN_EMAIL is not an email address (got "${adminEmail}")`)
  }
  const adminPassword = str('CRM_ADMIN_PASSWORD') ?? null
  if (adminPassword !== null && adminPassword.length < 8) {
    problems.push('CRM_ADMIN_PASSWORD must be at least 8 characters long')
  }
  const demoData = bool('CRM_DEMO_DATA', false)
  const corsOrigins = (str('CORS_ORIGINS') ?? '').split(',').map((o) => o.trim()).filter(Boolean)
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) problems.push(`CORS_ORIGINS entries must look like https://host[:port] (got "${origin}")`)
  }
  const bodyLimitBytes = int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024)
  const trustProxy = bool('TRUST_PROXY', false)
  const webDist = path.resolve(repoRoot, str('CRM_WEB_DIST') ?? 'apps/web/dist')
  const metricsToken = str('METRICS_TOKEN') ?? null
  if (metricsToken !== null && metricsToken.length < 16) {
    problems.push('METRICS_TOKEN must be at least 16 characters long (generate one with: openssl rand -hex 32)')
  }

  const timeZone = str('CRM_TIME_ZONE') ?? 'Asia/Shanghai'
  if (!isTimeZone(timeZone)) problems.push(`CRM_TIME_ZONE must be an IANA time zone such as Asia/Shanghai (got "${timeZone}")`)

  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze({
    nodeEnv, port, host, logLevel, databaseUrl, databasePoolSize, dataDir, jwtSecret,
    accessTokenTtlSeconds, refreshTokenTtlDays, adminEmail, adminPassword, demoData,
    corsOrigins: Object.freeze(corsOrigins), bodyLimitBytes, trustProxy, webDist, metricsToken, timeZone,
  })
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}

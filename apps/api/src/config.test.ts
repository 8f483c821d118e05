import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, repoRoot } from './config.ts'

const SECRET = 'a-production-secret-of-at-least-32-characters'

/** The problems loadConfig reports for this environment; fails the test when it does not throw. */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`)
}

describe('loadConfig', () => {
  it('runs with no environment at all, on the embedded database and local-only defaults', () => {
    const config = loadConfig({})
    expect(config).toEqual({
      nodeEnv: 'development',
      port: 3000,
      host: '127.0.0.1',
      logLevel: 'info',
      databaseUrl: null,
      databasePoolSize: 20,
      dataDir: path.join(repoRoot, 'data'),
      jwtSecret: null,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlDays: 30,
      adminEmail: null,
      adminPassword: null,
      demoData: false,
      corsOrigins: [],
      bodyLimitBytes: 1024 * 1024,
      trustProxy: false,
      webDist: path.join(repoRoot, 'apps/web/dist'),
      metricsToken: null,
      timeZone: 'Asia/Shanghai',
    })
  })

  it('returns a frozen object, so no module can change the configuration after boot', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://crm.example.com' })
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.corsOrigins)).toBe(true)
  })

  it('reads every variable it knows', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '10.0.0.5',
      LOG_LEVEL: 'warn',
      DATABASE_URL: 'postgresql://crm:pw@db:5432/crm',
      DATABASE_POOL_SIZE: '5',
      CRM_DATA_DIR: '/var/lib/yardstick',
      JWT_SECRET: SECRET,
      ACCESS_TOKEN_TTL_SECONDS: '300',
      REFRESH_TOKEN_TTL_DAYS: '7',
      CRM_ADMIN_EMAIL: 'Boss@Example.com',
      CRM_ADMIN_PASSWORD: 'long enough password',
      CRM_DEMO_DATA: 'yes',
      CORS_ORIGINS: 'https://a.example.com, http://b.example.com:8080',
      BODY_LIMIT_BYTES: '2048',
      TRUST_PROXY: 'on',
      METRICS_TOKEN: 'a-scraper-token-0123456789',
      CRM_TIME_ZONE: 'Europe/Berlin',
    })
    expect(config).toMatchObject({
      nodeEnv: 'production',
      port: 8080,
      host: '10.0.0.5',
      logLevel: 'warn',
      databaseUrl: 'postgresql://crm:pw@db:5432/crm',
      databasePoolSize: 5,
      dataDir: '/var/lib/yardstick',
      jwtSecret: SECRET,
      accessTokenTtlSeconds: 300,
      refreshTokenTtlDays: 7,
      adminEmail: 'boss@example.com',
      adminPassword: 'long enough password',
      demoData: true,
      corsOrigins: ['https://a.example.com', 'http://b.example.com:8080'],
      bodyLimitBytes: 2048,
      trustProxy: true,
      metricsToken: 'a-scraper-token-0123456789',
      timeZone: 'Europe/Berlin',
    })
  })

  it('treats blank variables as unset', () => {
    expect(loadConfig({ PORT: '  ', DATABASE_URL: '', LOG_LEVEL: '' })).toMatchObject({ port: 3000, databaseUrl: null, logLevel: 'info' })
  })

  it('is silent by default in tests', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent')
  })

  it('lists every bad variable in one ConfigError', () => {
    const problems = problemsOf({
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      DATABASE_POOL_SIZE: '0',
      CRM_DEMO_DATA: 'maybe',
      CORS_ORIGINS: 'crm.example.com',
    })
    expect(problems).toHaveLength(5)
    for (const [i, name] of ['PORT', 'LOG_LEVEL', 'DATABASE_POOL_SIZE', 'CRM_DEMO_DATA', 'CORS_ORIGINS'].entries()) {
      expect(problems[i]).toContain(name)
    }
    expect(problems[0]).toContain('"abc"')
    expect(problems[1]).toContain('"loud"')
  })

  it('names every problem in the error message too', () => {
    expect(() => loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' })).toThrow(/PORT.*LOG_LEVEL/)
  })

  it('refuses a METRICS_TOKEN shorter than 16 characters', () => {
    expect(problemsOf({ METRICS_TOKEN: 'secret' })).toEqual([expect.stringContaining('METRICS_TOKEN must be at least 16 characters')])
  })

  it('refuses a time zone that is not an IANA name', () => {
    expect(problemsOf({ CRM_TIME_ZONE: 'Beijing' })).toEqual([expect.stringContaining('CRM_TIME_ZONE must be an IANA time zone')])
  })

  it('refuses a port out of range', () => {
    expect(problemsOf({ PORT: '70000' })).toEqual([expect.stringContaining('PORT must be a whole number from 0 to 65535')])
    expect(problemsOf({ PORT: '30.5' })).toEqual([expect.stringContaining('PORT')])
  })

  describe('in production', () => {
    it('requires JWT_SECRET', () => {
      expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringContaining('JWT_SECRET is required')])
    })

    it('refuses a JWT_SECRET shorter than 32 characters', () => {
      expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toEqual([expect.stringContaining('at least 32 characters')])
    })

    it('listens on every interface by default (inside a container)', () => {
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).host).toBe('0.0.0.0')
    })

    it('still lets HOST win', () => {
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, HOST: '127.0.0.1' }).host).toBe('127.0.0.1')
    })
  })

  it('does not need JWT_SECRET outside production: main.ts keeps a generated one', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).jwtSecret).toBeNull()
  })

  describe('DATABASE_URL', () => {
    it('accepts postgres:// and postgresql://', () => {
      expect(loadConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/crm' }).databaseUrl).toBe('postgres://u:p@localhost:5432/crm')
      expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@localhost/crm' }).databaseUrl).toBe('postgresql://u:p@localhost/crm')
    })

    it('refuses another database', () => {
      expect(problemsOf({ DATABASE_URL: 'mysql://u:p@localhost/crm' })).toEqual([expect.stringContaining('DATABASE_URL must start with postgres://')])
    })

    it('refuses something that is not a URL', () => {
      expect(problemsOf({ DATABASE_URL: 'localhost:5432' })).toEqual([expect.stringContaining('DATABASE_URL')])
      expect(problemsOf({ DATABASE_URL: 'not a url' })).toEqual([expect.stringContaining('DATABASE_URL is not a valid URL')])
    })
  })

  it('refuses a short admin password and an admin email without @', () => {
    const problems = problemsOf({ CRM_ADMIN_EMAIL: 'admin', CRM_ADMIN_PASSWORD: 'short' })
    expect(problems).toEqual([expect.stringContaining('CRM_ADMIN_EMAIL'), expect.stringContaining('CRM_ADMIN_PASSWORD')])
  })

  it('accepts an intranet admin email without a dot in the domain', () => {
    expect(loadConfig({ CRM_ADMIN_EMAIL: 'admin@localhost' }).adminEmail).toBe('admin@localhost')
  })

  it('resolves a relative CRM_DATA_DIR against the directory pnpm was started in', () => {
    expect(loadConfig({ CRM_DATA_DIR: 'crm-data', INIT_CWD: '/srv/yardstick' }).dataDir).toBe('/srv/yardstick/crm-data')
  })
})

// The Docker bundle, checked without a Docker engine: compose.yaml against the Compose
// specification's JSON schema and the promises the admin guide makes about it, the Dockerfile's
// stages, and the settings that tie compose.yaml, .env.example and the Caddyfile together.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, requireFromApi } from './helpers.ts'

interface ValidateFunction {
  (data: unknown): boolean
  errors?: Array<{ instancePath: string; message?: string }> | null
}
type AjvClass = new (options: Record<string, unknown>) => { compile(schema: object): ValidateFunction }
const ajvModule = requireFromApi('ajv') as AjvClass & { default?: AjvClass }
const Ajv = ajvModule.default ?? ajvModule
const addFormats = (requireFromApi('ajv-formats') as { default: (ajv: unknown) => void }).default
const YAML = requireFromApi('yaml') as { parse(text: string, options?: { merge?: boolean }): unknown }

// ../shared sits beside the repository, on developer machines and in CI alike.
const schemaPath = path.resolve(repoRoot, '../shared/reference/compose-spec.schema.json')
const dockerDir = path.join(repoRoot, 'docker')

interface Service {
  image?: string
  ports?: string[]
  volumes?: string[]
  profiles?: string[]
  healthcheck?: { test: string[] | string }
  depends_on?: Record<string, { condition: string }>
  restart?: string
  env_file?: string
  environment?: Record<string, string>
  networks?: Record<string, { aliases?: string[] }>
  deploy?: { replicas?: number | string }
}
interface Compose {
  name: string
  services: Record<string, Service>
  volumes: Record<string, unknown>
}

const composeText = await readFile(path.join(dockerDir, 'compose.yaml'), 'utf8')
// Compose resolves YAML merge keys (<<: *api) before anything else; so does this parse.
const compose = YAML.parse(composeText, { merge: true }) as Compose
const { postgres, api, proxy } = compose.services
const replica = compose.services['api-replica']!

describe('docker/compose.yaml', () => {
  it.skipIf(!existsSync(schemaPath) && !process.env.CI)('is valid under the Compose specification schema', async () => {
    const schema = JSON.parse(await readFile(schemaPath, 'utf8')) as Record<string, unknown>
    // The schema names its draft by an https URL that Ajv does not know; it is plain draft-07.
    delete schema.$schema
    const ajv = new Ajv({ strict: false, allErrors: true })
    addFormats(ajv)
    const validate = ajv.compile(schema)
    const valid = validate(compose)
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([])
    expect(valid).toBe(true)
  })

  it('keeps PostgreSQL off the host, on a pinned major version, a named volume and a healthcheck', () => {
    expect(postgres!.ports).toBeUndefined()
    expect(postgres!.image).toMatch(/^postgres:\d+$/)
    const [source, target] = postgres!.volumes![0]!.split(':')
    expect(Object.keys(compose.volumes)).toContain(source)
    // postgres 18+ images keep PGDATA in a versioned folder under this mount point.
    expect(target).toBe('/var/lib/postgresql')
    expect(JSON.stringify(postgres!.healthcheck!.test)).toContain('pg_isready')
  })

  it('starts the API only once PostgreSQL is healthy, restarts it, and checks its health', () => {
    expect(api!.depends_on!.postgres!.condition).toBe('service_healthy')
    expect(api!.restart).toBe('unless-stopped')
    expect(api!.env_file).toBe('.env')
    expect(JSON.stringify(api!.healthcheck!.test)).toContain('/api/v1/health')
    expect(api!.ports).toEqual(['${YARDSTICK_BIND:-0.0.0.0}:${YARDSTICK_PORT:-8080}:3000'])
    expect(api!.environment!.DATABASE_URL).toBe(
      'postgres://${POSTGRES_USER:-yardstick}:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@postgres:5432/${POSTGRES_DB:-yardstick}')
    expect(api!.volumes).toEqual(['app-data:/data'])
  })

  it('puts Caddy behind the proxy profile and extra API replicas behind the scale profile', () => {
    expect(proxy!.profiles).toEqual(['proxy'])
    expect(proxy!.image).toMatch(/^caddy:\d+$/)
    expect(replica.profiles).toEqual(['scale'])
    // Replicas share a port inside the network only: publishing it would clash.
    expect(replica.ports).toBeUndefined()
    expect(replica.depends_on!.postgres!.condition).toBe('service_healthy')
    expect(replica.environment).toEqual(api!.environment)
    expect(replica.networks!.default!.aliases).toEqual(api!.networks!.default!.aliases)
  })

  it('sends Caddy to every API process by the network alias they share, on the port they listen on', async () => {
    const caddyfile = await readFile(path.join(dockerDir, 'Caddyfile'), 'utf8')
    const alias = api!.networks!.default!.aliases![0]!
    expect(caddyfile).toMatch(new RegExp(`dynamic a \\{\\s*name ${alias}\\s*port 3000`))
    expect(caddyfile).toContain('tls {$YARDSTICK_TLS:internal}')
    expect(proxy!.environment).toMatchObject({ YARDSTICK_TLS: '${YARDSTICK_TLS:-internal}' })
  })

  it('has every variable it reads explained in .env.example, the must-change ones first', async () => {
    const example = await readFile(path.join(dockerDir, '.env.example'), 'utf8')
    const documented = new Set([...example.matchAll(/^#?([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]))
    const used = new Set([...composeText.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]))
    expect([...used].filter((name) => !documented.has(name))).toEqual([])

    const assignments = [...example.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1])
    expect(assignments.slice(0, 4)).toEqual(['POSTGRES_PASSWORD', 'JWT_SECRET', 'CRM_ADMIN_EMAIL', 'CRM_ADMIN_PASSWORD'])
    // Empty secrets, for install.sh to fill: an example value would end up in production.
    expect(example).toMatch(/^POSTGRES_PASSWORD=$/m)
    expect(example).toMatch(/^JWT_SECRET=$/m)
  })
})

/** The Dockerfile as stages: FROM lines and the instructions under them, continuations joined. */
async function dockerfileStages() {
  const text = await readFile(path.join(dockerDir, 'Dockerfile'), 'utf8')
  const instructions = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  const stages: Array<{ from: string; name: string | undefined; lines: string[] }> = []
  for (const line of instructions) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line)
    if (from) stages.push({ from: from[1]!, name: from[2], lines: [] })
    else stages.at(-1)?.lines.push(line)
  }
  return stages
}

describe('docker/Dockerfile', () => {
  it('builds in stages: dependencies from the frozen lockfile, the web app, production dependencies', async () => {
    const stages = await dockerfileStages()
    expect(stages.length).toBeGreaterThanOrEqual(4)
    const all = stages.flatMap((s) => s.lines).join('\n')
    expect(all).toMatch(/pnpm fetch --frozen-lockfile/)
    expect(all).toMatch(/pnpm install --frozen-lockfile --offline/)
    expect(all).toMatch(/pnpm --filter @yardstick\/web build/)
    expect(all).toMatch(/pnpm install --prod --frozen-lockfile/)
  })

  it('runs as a non-root user with a healthcheck on /api/v1/health in the final stage', async () => {
    const final = (await dockerfileStages()).at(-1)!
    const user = final.lines.filter((l) => /^USER\s/i.test(l)).at(-1)
    expect(user).toBeDefined()
    expect(user).not.toMatch(/^USER\s+(root|0)(:|\s|$)/i)
    const healthcheck = final.lines.find((l) => /^HEALTHCHECK\s/i.test(l))
    expect(healthcheck).toContain('/api/v1/health')
    expect(healthcheck).toContain('fetch(') // no curl in the slim image
    const env = final.lines.filter((l) => /^ENV\s/i.test(l)).join(' ')
    expect(env).toMatch(/NODE_ENV=production/)
    expect(env).toMatch(/HOST=0\.0\.0\.0/)
    expect(env).toMatch(/CRM_DATA_DIR=\/data/)
    expect(final.from).toMatch(/NODE_IMAGE/)
    expect(final.lines.join('\n')).toContain('COPY --from=build /src/apps/web/dist ./apps/web/dist')
  })

  it('copies into the image only paths that exist in the repository or are built', async () => {
    const built = ['node_modules', 'apps/api/node_modules', 'apps/web/dist']
    const copies = (await dockerfileStages()).flatMap((s) => s.lines)
      .map((l) => /^COPY\s+--from=\S+\s+\/src\/(\S+)/.exec(l)?.[1])
      .filter((p): p is string => p !== undefined)
    expect(copies.length).toBeGreaterThan(5)
    for (const source of copies.filter((p) => !built.includes(p))) {
      expect(existsSync(path.join(repoRoot, source)), source).toBe(true)
    }
  })
})

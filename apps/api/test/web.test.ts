import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildTestApp } from './helper.ts'

const dist = await mkdtemp(path.join(os.tmpdir(), 'yardstick-web-'))
await mkdir(path.join(dist, 'assets'))
await writeFile(path.join(dist, 'index.html'), '<!doctype html><div id="app"></div>')
await writeFile(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
const { app } = await buildTestApp({ CRM_WEB_DIST: dist })

describe('serving the web app', () => {
  it('answers the SPA\'s own routes with index.html, never cached', async () => {
    for (const url of ['/', '/campaigns/8d7c1b1e-4f0e-4c55-9f5a-0c1d2e3f4a5b', '/settings/users?tab=tokens']) {
      const res = await app.inject({ url })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toContain('text/html')
      expect(res.headers['cache-control']).toBe('no-cache')
      expect(res.body).toContain('<div id="app">')
    }
  })

  it('caches hashed assets for a year', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
  })

  it('serves a rebuilt app\'s new files without a restart', async () => {
    await writeFile(path.join(dist, 'assets', 'index-def456.js'), 'console.log(2)')
    const res = await app.inject({ url: '/assets/index-def456.js' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('console.log(2)')
  })

  it('answers a missing file with 404 rather than the HTML page', async () => {
    const res = await app.inject({ url: '/assets/index-old999.js' })
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toContain('application/json')
  })

  it('keeps unknown API routes JSON', async () => {
    const res = await app.inject({ url: '/api/v1/no-such-route' })
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('route_not_found')
  })
})

#!/usr/bin/env node
// Gzipped JS a route downloads before it renders: the entry, the route's page chunk and
// everything they import statically (not the dynamic imports of other pages).
// Usage: node scripts/route-size.mjs [src/pages/LoginPage.vue ...]   (after vite build)
// Prints one JSON line per route: {"route":"src/pages/LoginPage.vue","files":n,"bytes":…,"gzipBytes":…}
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const manifest = JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'))
const entry = Object.keys(manifest).find((key) => manifest[key].isEntry)
const routes = process.argv.slice(2)
if (routes.length === 0) routes.push('src/pages/LoginPage.vue')

for (const route of routes) {
  if (!manifest[route]) {
    console.error(`${route} is not in the manifest; known pages: ${Object.keys(manifest).filter((k) => k.startsWith('src/pages/')).join(', ')}`)
    process.exitCode = 1
    continue
  }
  const files = new Set()
  const visit = (key) => {
    const chunk = manifest[key]
    if (!chunk || files.has(chunk.file)) return
    files.add(chunk.file)
    for (const next of chunk.imports ?? []) visit(next)
  }
  visit(entry)
  visit(route)
  let bytes = 0
  let gzipBytes = 0
  for (const file of files) {
    if (!file.endsWith('.js')) continue
    const content = readFileSync(path.join(dist, file))
    bytes += content.length
    gzipBytes += gzipSync(content, { level: 9 }).length
  }
  console.log(JSON.stringify({ route, files: [...files].filter((f) => f.endsWith('.js')).length, bytes, gzipBytes }))
}

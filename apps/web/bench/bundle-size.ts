// `pnpm bench` (web): the gzipped JavaScript a browser downloads before a route renders, beside the
// whole app's JavaScript from the same build, as a Markdown table shaped like apps/api/bench's.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, type Manifest } from 'vite'

interface Row {
  benchmark: string
  value: string
  baseline: string
  ratio: string
  target: string
}

/** A route: the chunks the router loads for it (the layout, then the page), by source path. */
const ROUTES: { name: string; chunks: string[]; limitKb?: number }[] = [
  { name: 'login route (/login)', chunks: ['src/pages/LoginPage.vue'], limitKb: 250 },
  { name: 'campaign detail route (/campaigns/:id)', chunks: ['src/components/layout/AppLayout.vue', 'src/pages/campaigns/CampaignDetailPage.vue'] },
  // The home page after login; its charts load after the figures.
  { name: 'dashboard route (/dashboard)', chunks: ['src/components/layout/AppLayout.vue', 'src/pages/DashboardPage.vue'] },
]

const webDir = path.resolve(import.meta.dirname, '..')

/** The files a route downloads before it renders: the entry, its chunks and all they import statically. */
function routeFiles(manifest: Manifest, chunks: string[]): string[] {
  const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry)
  if (!entry) throw new Error('the manifest has no entry chunk')
  const files = new Set<string>()
  const visit = (key: string) => {
    const chunk = manifest[key]
    if (!chunk) throw new Error(`${key} is not in the manifest (was the page renamed?)`)
    if (files.has(chunk.file)) return
    files.add(chunk.file)
    for (const next of chunk.imports ?? []) visit(next)
  }
  for (const key of [entry, ...chunks]) visit(key)
  return [...files].filter((file) => file.endsWith('.js'))
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`

function printTable(rows: Row[]): void {
  const header: Row = { benchmark: 'benchmark', value: 'value', baseline: 'baseline (same run)', ratio: 'ratio', target: 'target' }
  const keys = Object.keys(header) as (keyof Row)[]
  const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)))
  const line = (r: Row) => `| ${keys.map((k, i) => r[k].padEnd(widths[i]!)).join(' | ')} |`
  console.log(line(header))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const row of rows) console.log(line(row))
}

async function main(): Promise<void> {
  // A build of its own, so the bench neither needs nor disturbs apps/web/dist.
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'yardstick-bundle-'))
  try {
    await build({ root: webDir, logLevel: 'error', build: { outDir, emptyOutDir: true, manifest: true } })
    const manifest = JSON.parse(await readFile(path.join(outDir, '.vite', 'manifest.json'), 'utf8')) as Manifest

    const gzipped = new Map<string, number>()
    for (const chunk of Object.values(manifest)) {
      if (chunk.file.endsWith('.js') && !gzipped.has(chunk.file)) {
        gzipped.set(chunk.file, gzipSync(await readFile(path.join(outDir, chunk.file)), { level: 9 }).length)
      }
    }
    const whole = [...gzipped.values()].reduce((sum, size) => sum + size, 0)
    const baseline = `${kB(whole)} (all JS, ${gzipped.size} chunks)`

    const rows: Row[] = []
    let failed = false
    for (const route of ROUTES) {
      const files = routeFiles(manifest, route.chunks)
      const size = files.reduce((sum, file) => sum + gzipped.get(file)!, 0)
      const over = route.limitKb !== undefined && size > route.limitKb * 1000
      failed ||= over
      rows.push({
        benchmark: `${route.name} JS gzipped, ${files.length} chunks`,
        value: kB(size) + (over ? ' ✗' : ''),
        baseline,
        ratio: (size / whole).toFixed(2),
        target: route.limitKb === undefined ? '—' : `≤ ${route.limitKb} kB gzipped`,
      })
    }
    printTable(rows)
    if (failed) process.exitCode = 1
  } finally {
    await rm(outDir, { recursive: true, force: true })
  }
}

await main()

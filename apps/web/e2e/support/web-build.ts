import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const webDir = path.resolve(import.meta.dirname, '../..')
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json', 'public']

/** The newest modification time under `target` (0 when it does not exist). */
function newest(target: string): number {
  let stat
  try {
    stat = statSync(target)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = stat.mtimeMs
  for (const entry of readdirSync(target)) latest = Math.max(latest, newest(path.join(target, entry)))
  return latest
}

/**
 * Builds the SPA the server serves (apps/web/dist) unless the build is newer than every source:
 * the tests then exercise what `pnpm build` ships, not a dev server.
 */
export function ensureWebBuild(): void {
  const built = newest(path.join(webDir, 'dist', 'index.html'))
  const sources = Math.max(...SOURCES.map((entry) => newest(path.join(webDir, entry))))
  if (built > sources) return
  console.log(built === 0 ? 'Building the web app for the browser tests …' : 'The web app changed since the last build: rebuilding it …')
  const result = spawnSync(path.join(webDir, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'error'], { cwd: webDir, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`vite build failed (${result.error?.message ?? `exit ${result.status}`})`)
}

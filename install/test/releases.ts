import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { repoRoot } from './helpers.ts'

const exec = promisify(execFile)

export interface ReleaseOptions {
  /** Written into apps/api/package.json: what /api/v1/health reports. */
  version?: string
  /** Extra migration files (name → SQL) on top of the repository's. */
  migrations?: Record<string, string>
}

const SOURCES = ['package.json', 'pnpm-workspace.yaml', 'migrations', 'packages/roi-core/package.json',
  'packages/roi-core/src', 'apps/api/package.json', 'apps/api/src']

/**
 * A release directory as a native install runs it (a built checkout), made in a moment: the
 * committed sources (so that work in progress elsewhere in the tree cannot break these tests;
 * the working tree when there is no git), node_modules linked to the repository's installed
 * ones, and a one-line stand-in for the web app (the scripts only need index.html to exist).
 */
export async function makeRelease(dir: string, options: ReleaseOptions = {}): Promise<string> {
  await mkdir(path.join(dir, 'apps/web/dist'), { recursive: true })
  if (existsSync(path.join(repoRoot, '.git'))) {
    await exec('sh', ['-c', `git -C "$1" archive --format=tar HEAD -- ${SOURCES.join(' ')} | tar -x -C "$2"`, 'sh', repoRoot, dir])
  } else {
    const skip = (source: string) => !source.includes(`${path.sep}node_modules`)
    for (const item of SOURCES) await cp(path.join(repoRoot, item), path.join(dir, item), { recursive: true, filter: skip })
  }
  await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'))
  await symlink(path.join(repoRoot, 'apps/api/node_modules'), path.join(dir, 'apps/api/node_modules'))
  await writeFile(path.join(dir, 'apps/web/dist/index.html'), '<!doctype html><title>Yardstick</title>\n')

  if (options.version) {
    const file = path.join(dir, 'apps/api/package.json')
    const manifest = JSON.parse(await readFile(file, 'utf8')) as { version: string }
    manifest.version = options.version
    await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`)
  }
  for (const [name, sql] of Object.entries(options.migrations ?? {})) {
    await writeFile(path.join(dir, 'migrations', name), sql)
  }
  return dir
}

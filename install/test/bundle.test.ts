import { existsSync } from 'node:fs'
import { appendFile, copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, run, runScript } from './helpers.ts'

describe('the offline bundle', () => {
  let tmp: string
  let bundle: string
  let name: string

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'yardstick-bundle-'))
    const { version } = JSON.parse(await readFile(path.join(repoRoot, 'apps/api/package.json'), 'utf8')) as { version: string }
    name = `yardstick-${version}`
    // Without images: saving them needs a Docker engine, which the tests do not have.
    const result = await runScript('bundle.sh', ['--no-images', '--out', tmp])
    expect(result.code, result.output).toBe(0)
    bundle = result.stdout.trim().split('\n').at(-1)!
  })
  afterAll(() => rm(tmp, { recursive: true, force: true }))

  it('holds the compose file, settings example, scripts and docs, each with a checksum', async () => {
    expect(bundle).toBe(path.join(tmp, `${name}.tar.gz`))
    const listing = (await run('tar', ['-tzf', bundle])).stdout.split('\n').map((p) => p.replace(`${name}/`, '')).filter(Boolean)
    for (const file of ['compose.yaml', 'Caddyfile', '.env.example', 'VERSION', 'SHA256SUMS', 'install/install.sh', 'install/lib.sh',
      'install/backup.sh', 'install/restore.sh', 'install/upgrade.sh', 'install/systemd/yardstick.service',
      'docs/admin-guide.md', 'docs/admin-guide.zh-CN.md', 'docs/operations.md']) {
      expect(listing, file).toContain(file)
    }
    expect(listing.filter((p) => p.startsWith('install/test') || p === '.env')).toEqual([])

    expect((await run('sha256sum', ['-c', `${name}.tar.gz.sha256`], { cwd: tmp })).code).toBe(0)
    const unpacked = path.join(tmp, 'unpacked')
    await mkdir(unpacked)
    await run('tar', ['-xzf', bundle, '-C', unpacked])
    const check = await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: path.join(unpacked, name) })
    expect(check.code, check.output).toBe(0)
    expect(check.stdout.split('\n').filter((l) => l.endsWith(': OK'))).toHaveLength(listing.filter((p) => !p.endsWith('/') && p !== 'SHA256SUMS').length)
  })

  it('is refused by install.sh --offline when a file in it was changed, before anything is installed', async () => {
    const work = path.join(tmp, 'tamper')
    await mkdir(work)
    await run('tar', ['-xzf', bundle, '-C', work])
    await appendFile(path.join(work, name, 'compose.yaml'), '\n# changed on the way\n')
    const tampered = path.join(tmp, 'tampered.tar.gz')
    await run('tar', ['-czf', tampered, '-C', work, name])
    const target = path.join(tmp, 'target')

    const result = await runScript('install.sh', ['--offline', tampered, '--dir', target])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('damaged')
    expect(existsSync(path.join(target, 'compose.yaml'))).toBe(false)
    expect(existsSync(path.join(target, '.env'))).toBe(false)
    expect((await readdir(target)).filter((f) => f.startsWith('.bundle'))).toEqual([])
  })

  it('is refused by install.sh --offline when the copy does not match its .sha256', async () => {
    const copy = path.join(tmp, 'copy', `${name}.tar.gz`)
    await mkdir(path.dirname(copy))
    await copyFile(bundle, copy)
    await writeFile(`${copy}.sha256`, `${'0'.repeat(64)}  ${name}.tar.gz\n`)
    const result = await runScript('install.sh', ['--offline', copy, '--dir', path.join(tmp, 'target2')])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('does not match')
  })
})

import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { commandExists, installDir, run, runScript } from './helpers.ts'

const scripts = (await readdir(installDir)).filter((f) => f.endsWith('.sh')).sort()
const runnable = scripts.filter((f) => f !== 'lib.sh')

const hasShellcheck = commandExists('shellcheck')
if (!hasShellcheck && process.env.CI) throw new Error('shellcheck is required under CI (apt-get install shellcheck)')
if (!hasShellcheck) console.warn('Skipping the shellcheck tests: shellcheck is not installed (apt-get install shellcheck)')

describe.skipIf(!hasShellcheck)('shellcheck', () => {
  it.each(scripts)('finds nothing to say about %s', async (script) => {
    // -x follows `. lib.sh`; the source= directives are relative to the repository root.
    const result = await run('shellcheck', ['-x', path.join('install', script)])
    expect(result.output).toBe('')
    expect(result.code).toBe(0)
  })
})

describe('every install script', () => {
  it.each(runnable)('%s stops on the first error and explains itself with --help', async (script) => {
    const source = await readFile(path.join(installDir, script), 'utf8')
    expect(source.startsWith('#!/usr/bin/env bash\n')).toBe(true)
    expect(source).toContain('\nset -euo pipefail\n')

    const help = await runScript(script, ['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(new RegExp(`^Usage: ${script.replace('.', '\\.')} `))
    expect(help.stdout).toContain('Options:')
  })

  it.each(runnable)('%s refuses an unknown option', async (script) => {
    const result = await runScript(script, ['--no-such-option'])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(/unknown (argument|option): --no-such-option/)
  })
})

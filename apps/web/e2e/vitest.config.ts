import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['**/*.e2e.test.ts'],
    globalSetup: ['global-setup.ts'],
    // One server, one browser at a time: the files share the server's data, and two Chromiums
    // on a small CI machine slow each other down more than they gain.
    fileParallelism: false,
    // Within `pnpm test`, only after every other project: a browser competing with the API and
    // install tests for a small CI machine's CPUs times out instead of testing anything.
    sequence: { groupOrder: 1 },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})

import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'install',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The scripts start real servers; under a loaded CI machine one step can take a while.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})

import { defineConfig } from 'vitest/config'

export default defineConfig({ test: { name: 'roi-core', include: ['src/**/*.test.ts'] } })

import vue from '@vitejs/plugin-vue'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Element Plus's form validation imports async-validator, whose CommonJS build Node hands over
// without its default export: form.validate() then passes every form. Vite loads its ES build.
const fromElementPlus = createRequire(createRequire(import.meta.url).resolve('element-plus'))
const asyncValidator = path.join(path.dirname(fromElementPlus.resolve('async-validator/package.json')), 'dist-web/index.js')

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: [
      // Node cannot load the per-component CSS the pages import.
      { find: /^element-plus\/es\/components\/[\w-]+\/style\/css$/, replacement: fileURLToPath(new URL('./test/empty-module.ts', import.meta.url)) },
      { find: /^async-validator$/, replacement: asyncValidator },
    ],
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  test: {
    name: 'web',
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    passWithNoTests: true,
    // The first test to import a page compiles Element Plus with it.
    testTimeout: 20_000,
    server: { deps: { inline: ['element-plus'] } },
  },
})

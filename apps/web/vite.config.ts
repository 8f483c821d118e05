import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [vue()],
  define: {
    // vue-i18n: Composition API only, so the legacy API is left out of the bundle.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    // dist/.vite/manifest.json maps each page to its chunks: scripts/route-size.mjs reads it.
    manifest: true,
  },
  server: {
    // In development the API runs on its own port; the browser sees one origin.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
})

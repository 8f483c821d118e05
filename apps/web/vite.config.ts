import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [vue()],
  server: {
    // In development the API runs on its own port; the browser sees one origin.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
})

import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ensureFresh } from '../modules/attribution/attribution.service.ts'

/** How often the process catches attribution up with the writes, between reads. */
export const REFRESH_INTERVAL_MS = 5_000

/**
 * Reads bring attribution up to date themselves; this keeps the backlog small between them, so
 * that stale marks do not pile up while nobody looks and the first read after a busy hour, or
 * the first build after an upgrade, does not keep its user waiting.
 */
export default fp(async function attributionRefresher(app: FastifyInstance, opts: { intervalMs: number }) {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  const refresh = () => {
    if (running) return
    running = ensureFresh(app.db, app.pool)
      .catch((error: unknown) => app.log.warn({ err: error }, 'attribution refresh failed; the next read or tick retries'))
      .finally(() => {
        running = undefined
      })
  }
  app.addHook('onReady', async () => {
    timer = setInterval(refresh, opts.intervalMs)
    timer.unref()
  })
  app.addHook('onClose', async () => {
    clearInterval(timer)
    await running
  })
}, { name: 'attribution-refresher', dependencies: ['db'] })

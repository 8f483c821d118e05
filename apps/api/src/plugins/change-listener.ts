import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ChangeListener } from '../modules/events/events.listener.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's one LISTEN connection, fanning change events out to open event streams. */
    changeListener: ChangeListener
  }
}

/**
 * Starts LISTENing when the app is ready and stops on close. A database that refuses is not
 * fatal: the API works without live updates, warns, and keeps trying.
 */
export default fp(async function changeListener(app: FastifyInstance) {
  const listener = new ChangeListener({ connection: app.pool.options, log: app.log })
  app.decorate('changeListener', listener)
  app.addHook('onReady', async () => {
    await listener.start()
  })
  app.addHook('onClose', async () => {
    await listener.stop()
  })
}, { name: 'change-listener', dependencies: ['db'] })

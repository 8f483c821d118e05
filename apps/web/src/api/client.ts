import createClient, { type ClientOptions } from 'openapi-fetch'
import { createAuthMiddleware, type AuthHooks } from './auth-middleware.ts'
import type { paths } from './schema'

export function createApiClient(options: ClientOptions = {}) {
  // fetch is looked up per call, not captured once, so a test (or a polyfill) can replace it.
  return createClient<paths>({ baseUrl: '', fetch: (request) => globalThis.fetch(request), ...options })
}

export type ApiClient = ReturnType<typeof createApiClient>

/** The typed client every page uses: paths, parameters and bodies come from the server's OpenAPI document. */
export const api: ApiClient = createApiClient()

let installed: ReturnType<typeof createAuthMiddleware> | null = null

/** Wires the session into the client (main.ts does this once, after Pinia exists). */
export function installAuth(hooks: AuthHooks, client: ApiClient = api): void {
  if (installed) client.eject(installed)
  installed = createAuthMiddleware(hooks)
  client.use(installed)
}

export { ApiError, errorMessage, fieldErrors, unwrap } from './errors.ts'
export type { components, paths } from './schema'

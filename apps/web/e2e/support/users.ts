export interface User {
  email: string
  password: string
}

/** An access token for calls the test makes beside the browser (as an ERP would, through the API). */
export async function apiToken(baseUrl: string, user: User): Promise<string> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  })
  if (!login.ok) throw new Error(`${user.email} could not log in: ${login.status} ${await login.text()}`)
  return ((await login.json()) as { accessToken: string }).accessToken
}

/**
 * A user of the test file's own, made through the API as the first admin: a file that changes
 * its user's language or name leaves the other files' users as they were.
 */
export async function createUser(baseUrl: string, admin: User, user: User & { name: string; role: 'admin' | 'marketing' | 'sales' | 'viewer' }): Promise<User> {
  const created = await fetch(`${baseUrl}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await apiToken(baseUrl, admin)}` },
    body: JSON.stringify(user),
  })
  if (!created.ok) throw new Error(`could not create ${user.email}: ${created.status} ${await created.text()}`)
  return { email: user.email, password: user.password }
}

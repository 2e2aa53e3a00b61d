// fetch for tests that block their event loop with synchronous child processes (execSync,
// spawnSync: the `dsr` CLI, git, sed). While the loop is blocked, a server may close an idle
// keep-alive connection unseen (its keep-alive timeout passes, the client's timer cannot fire),
// and the next request written on that connection fails with "other side closed": a race of the
// test's client, not an answer of DSR. One connection per request (`Connection: close`) has none.

/** fetch() on a connection of its own, closed after the answer. */
export function fetchOwnConnection(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('connection', 'close');
  return fetch(url, { ...init, headers });
}

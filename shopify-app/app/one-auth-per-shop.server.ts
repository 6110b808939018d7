/**
 * React Router runs a page's loaders in parallel, and each calls authenticate.admin: on a shop's
 * first load (or after its session was dropped for re-authorisation) every one of them would
 * exchange the session token for its own offline token, and the token the core got from afterAuth
 * could differ from the one stored last. Runs one authentication per shop at a time in this
 * process; the second finds the session the first stored.
 */
const running = new Map<string, Promise<unknown>>();

/** The shop a request is for, only to group requests: nothing here is trusted, the library verifies the token. */
function shopOf(request: Request): string {
  const url = new URL(request.url);
  const bearer = request.headers.get('authorization')?.match(/^Bearer (.+)$/i)?.[1];
  const token = bearer ?? url.searchParams.get('id_token');
  try {
    const dest = JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString('utf8')).dest;
    if (typeof dest === 'string') return new URL(dest).hostname;
  } catch {
    // not a JWT: fall back to the shop parameter
  }
  return url.searchParams.get('shop') ?? '';
}

export function onePerShop<T>(request: Request, run: () => Promise<T>): Promise<T> {
  const shop = shopOf(request);
  const before = running.get(shop) ?? Promise.resolve();
  const mine = before.then(run, run);
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  running.set(shop, settled);
  void settled.then(() => {
    if (running.get(shop) === settled) running.delete(shop);
  });
  return mine;
}

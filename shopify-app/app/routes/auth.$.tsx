import { authenticate } from '../shopify.server';
import type { Route } from './+types/auth.$';

// Reserved by authPathPrefix: the library answers its own auth paths (session-token bounce,
// exit-iframe) from here.
export async function loader({ request }: Route.LoaderArgs) {
  await authenticate.admin(request);
  return null;
}

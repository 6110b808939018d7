import { corePdf } from '../core-api.server';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app.documents.$kind.$id';

/*
 * The printed papers, passed through from the core as PDFs: the AWB label (A4 or thermal A6), the
 * invoice, the packing slip, a bulk run's merged labels and the hand-over manifest. A resource
 * route (no component): the page fetches it with the session token and opens the PDF.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  await authenticate.admin(request);
  const url = new URL(request.url);
  const id = params.id;
  if (!/^\d{1,18}$/.test(id) && params.kind !== 'manifest') return new Response(`Document id ${id} is not a number.`, { status: 400 });
  switch (params.kind) {
    case 'label':
      return corePdf(request, `/shipments/${id}/label`, { format: url.searchParams.get('format') === 'A4' ? 'A4' : 'A6' });
    case 'invoice':
      return corePdf(request, `/invoices/${id}/pdf`);
    case 'packing-slip':
      return corePdf(request, `/packing-lists/${id}/slip.pdf`);
    case 'labels':
      return corePdf(request, `/label-batches/${id}/pdf`);
    case 'manifest':
      return corePdf(request, '/shipping/manifest', { courier: url.searchParams.get('courier'), warehouseId: url.searchParams.get('warehouseId'), day: url.searchParams.get('day') });
    default:
      return new Response(`No document kind ${params.kind}.`, { status: 404 });
  }
}

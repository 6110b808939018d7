import { coreCsv } from '../core-api.server';
import { isReportName, reportQuery } from '../report-specs';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app.report-csv.$name';

/** A report's rows as CSV (the core's format=csv), with the filters of the report's page. A resource route. */
export async function loader({ request, params }: Route.LoaderArgs) {
  await authenticate.admin(request);
  if (!isReportName(params.name)) return new Response(`No report ${params.name}.`, { status: 404 });
  const query = reportQuery(params.name, new URL(request.url).searchParams);
  delete query.cursor;
  return coreCsv(request, `/reports/${params.name}`, query, `${params.name}.csv`);
}

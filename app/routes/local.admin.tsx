import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLocalRequest, localAdminQuery } from "../local/local.server";

// Local mode only (loopback, TSUMIKI_LOCAL=1, never production): opens an admin page as the demo shop's staff.
export const loader = ({ request, context }: LoaderFunctionArgs) => {
  if (!isLocalRequest(context)) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const path = url.searchParams.get("path") ?? "/app";
  if (!/^\/app(\/[\w-]*)*$/.test(path)) throw new Response("Only admin pages can be opened", { status: 400 });
  return redirect(`${path}?${localAdminQuery(url.searchParams.get("locale") ?? "en").toString()}`);
};

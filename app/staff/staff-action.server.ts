import { adminLocale } from "../i18n/admin-locale";
import { adminT, type AdminT } from "../i18n/catalog";
import { authenticate } from "../shopify.server";
import type { Permission } from "./permissions";
import { requirePermission, type CurrentStaff } from "./staff.server";

/**
 * The start of an admin page's JSON action: the staff member, who must hold the permission (else the 403 with the
 * reason is thrown before the body is read), the words of the admin's language, and the body (null when it is not
 * JSON, for the page to refuse in its own words).
 */
export async function staffJsonAction(
  request: Request,
  permission: Permission,
): Promise<{ staff: CurrentStaff; t: AdminT; body: unknown }> {
  const auth = await authenticate.admin(request);
  const staff = await requirePermission({ request, auth }, permission);
  const body: unknown = await request.json().catch(() => null);
  return { staff, t: adminT(adminLocale(request)), body };
}

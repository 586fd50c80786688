import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  InlineStack,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import prisma from "../db.server";
import { adminLocale, dateTime, type AdminLocale } from "../i18n/admin-locale";
import { adminT } from "../i18n/catalog";
import {
  ApprovalRefused,
  AdjustmentRefused,
  decideAdjustment,
  pendingAdjustments,
} from "../members/staff-actions.server";
import { authenticate } from "../shopify.server";
import { isPermission, parseRules, PERMISSIONS, type Permission } from "../staff/permissions";
import { currentStaff, forbidden, manageRefusal, saveStaffRules, staffList } from "../staff/staff.server";

// GET /app/permissions: the staff seen so far, their role and grants, the default for other staff, the four-eyes limit
// and the adjustments waiting for a second staff member.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const staff = await currentStaff(request, auth);
  return {
    locale: adminLocale(request) as AdminLocale,
    me: { userId: staff.userId, role: staff.role, permissions: staff.permissions, manages: !manageRefusal(staff) },
    rules: staff.rules,
    staff: await staffList(staff.shop.id, staff.rules),
    pending: await prisma.$transaction((tx) => pendingAdjustments(tx, staff.shop.id)),
  };
};

// POST {intent: "save", defaultGrants, adjustLimit, staff: [{userId, admin, grants}]} (owner and admins)
//    | {intent: "approve" | "decline", id} (a different staff member who may adjust points)
export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  const t = adminT(adminLocale(request));
  if (!body || typeof body !== "object")
    return Response.json({ error: t("permissions.errors.malformed") }, { status: 400 });
  const staff = await currentStaff(request, auth);
  if (body.intent === "save") {
    const refused = manageRefusal(staff);
    if (refused) return refused;
    const rules = parseRules(body);
    if ("error" in rules) {
      const error =
        rules.error === "adjustLimit" ? t("permissions.errors.adjustLimit") : t("permissions.errors.defaultGrants");
      return Response.json({ error }, { status: 422 });
    }
    const members = parseMembers(body.staff);
    if (!members) return Response.json({ error: t("permissions.errors.staff") }, { status: 422 });
    await saveStaffRules(staff, rules, members);
    return Response.json({ ok: true });
  }
  if ((body.intent === "approve" || body.intent === "decline") && typeof body.id === "string") {
    const id = body.id;
    try {
      const result = await prisma.$transaction((tx) =>
        decideAdjustment(tx, staff.shop, id, body.intent === "approve", staff),
      );
      return Response.json({ ok: true, ...result });
    } catch (error) {
      if (error instanceof ApprovalRefused) {
        if (error.status === 403) return forbidden(error.message, "adjust");
        return Response.json({ error: error.message }, { status: error.status });
      }
      if (error instanceof AdjustmentRefused) return Response.json({ error: error.message }, { status: 422 });
      throw error;
    }
  }
  return Response.json({ error: t("permissions.errors.malformed") }, { status: 400 });
};

function parseMembers(input: unknown): Array<{ userId: string; admin: boolean; grants: Permission[] }> | null {
  if (input === undefined) return [];
  if (!Array.isArray(input)) return null;
  const members = [];
  for (const item of input as Array<Record<string, unknown>>) {
    if (!item || typeof item.userId !== "string" || !Array.isArray(item.grants) || !item.grants.every(isPermission)) {
      return null;
    }
    members.push({ userId: item.userId, admin: item.admin === true, grants: item.grants });
  }
  return members;
}

type Draft = Record<string, { admin: boolean; grants: Permission[] }>;

export default function PermissionsPage() {
  const { locale, me, rules, staff, pending } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; error?: string } | undefined;
  const { t } = useTranslation();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [defaults, setDefaults] = useState<Permission[]>([...rules.defaultGrants]);
  const [limit, setLimit] = useState(rules.adjustLimit === null ? "" : String(rules.adjustLimit));
  const [draft, setDraft] = useState<Draft>(() =>
    Object.fromEntries(staff.map((row) => [row.userId, { admin: row.role === "admin", grants: row.grants }])),
  );
  const name: Record<Permission, string> = {
    adjust: t("permissions.names.adjust"),
    import: t("permissions.names.import"),
    block: t("permissions.names.block"),
    export: t("permissions.names.export"),
    program: t("permissions.names.program"),
    review: t("permissions.names.review"),
  };
  const role = {
    owner: t("permissions.roles.owner"),
    admin: t("permissions.roles.admin"),
    staff: t("permissions.roles.staff"),
  };
  const post = (body: Record<string, unknown>) =>
    submit(JSON.stringify(body), { method: "post", encType: "application/json", replace: true });
  const toggle = (list: Permission[], permission: Permission, on: boolean) =>
    on ? PERMISSIONS.filter((p) => p === permission || list.includes(p)) : list.filter((p) => p !== permission);
  const checks = (list: Permission[], change: (next: Permission[]) => void, disabled: boolean) => (
    <InlineStack gap="300">
      {PERMISSIONS.map((permission) => (
        <Checkbox
          key={permission}
          label={name[permission]}
          checked={list.includes(permission)}
          disabled={disabled || !me.manages}
          onChange={(on) => change(toggle(list, permission, on))}
        />
      ))}
    </InlineStack>
  );

  return (
    <Page title={t("permissions.title")} subtitle={t("permissions.subtitle")}>
      <BlockStack gap="400">
        {result?.error && <Banner tone="critical">{result.error}</Banner>}
        {result?.ok && <Banner tone="success">{t("permissions.saved")}</Banner>}
        {!rules.configured && <Banner tone="warning">{t("permissions.notConfigured")}</Banner>}
        {!me.manages && <Banner tone="info">{t("permissions.readOnly")}</Banner>}
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t("permissions.defaults.title")}
            </Text>
            <Text as="p" tone="subdued">
              {t("permissions.defaults.help")}
            </Text>
            {checks(defaults, setDefaults, false)}
            <TextField
              label={t("permissions.limit.label")}
              helpText={t("permissions.limit.help")}
              type="number"
              min={0}
              value={limit}
              onChange={setLimit}
              disabled={!me.manages}
              autoComplete="off"
            />
          </BlockStack>
        </Card>
        <Card padding="0">
          <DataTable
            columnContentTypes={["text", "text", "text"]}
            headings={[t("permissions.columns.staff"), t("permissions.columns.role"), t("permissions.columns.grants")]}
            rows={staff.map((row) => {
              const entry = draft[row.userId] ?? { admin: false, grants: [] };
              const set = (next: Partial<typeof entry>) =>
                setDraft((all) => ({ ...all, [row.userId]: { ...entry, ...next } }));
              return [
                <BlockStack key={row.userId} gap="050">
                  <Text as="span" fontWeight="semibold">
                    {row.name || `#${row.userId}`}
                    {row.userId === me.userId ? ` (${t("permissions.you")})` : ""}
                  </Text>
                  <Text as="span" tone="subdued">
                    {row.email}
                  </Text>
                </BlockStack>,
                row.role === "owner" ? (
                  <Badge key="role" tone="success">
                    {role.owner}
                  </Badge>
                ) : (
                  <Select
                    key="role"
                    label={t("permissions.columns.role")}
                    labelHidden
                    disabled={!me.manages}
                    options={[
                      { label: role.staff, value: "staff" },
                      { label: role.admin, value: "admin" },
                    ]}
                    value={entry.admin ? "admin" : "staff"}
                    onChange={(value) => set({ admin: value === "admin" })}
                  />
                ),
                row.role === "owner" || entry.admin ? (
                  <Text key="grants" as="span" tone="subdued">
                    {t("permissions.everything")}
                  </Text>
                ) : (
                  <div key="grants">{checks(entry.grants, (grants) => set({ grants }), false)}</div>
                ),
              ];
            })}
          />
        </Card>
        {me.manages && (
          <InlineStack align="end">
            <Button
              variant="primary"
              loading={busy}
              onClick={() =>
                post({
                  intent: "save",
                  defaultGrants: defaults,
                  adjustLimit: limit,
                  staff: staff
                    .filter((row) => row.role !== "owner")
                    .map((row) => ({ userId: row.userId, ...(draft[row.userId] ?? { admin: false, grants: [] }) })),
                })
              }
            >
              {t("permissions.save")}
            </Button>
          </InlineStack>
        )}
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t("permissions.approvals.title")}
            </Text>
            {pending.length === 0 ? (
              <Text as="p" tone="subdued">
                {t("permissions.approvals.none")}
              </Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "numeric", "text", "text", "text"]}
                headings={[
                  t("permissions.approvals.customer"),
                  t("permissions.approvals.points"),
                  t("permissions.approvals.reason"),
                  t("permissions.approvals.requestedBy"),
                  "",
                ]}
                rows={pending.map((row) => [
                  `#${row.customerId}`,
                  row.points.toLocaleString(locale),
                  row.reason,
                  `${row.requestedBy} · ${dateTime(row.createdAt, locale)}`,
                  <InlineStack key={row.id} gap="200">
                    <Button
                      size="slim"
                      variant="primary"
                      loading={busy}
                      disabled={row.requestedBy === `staff:${me.userId}` || !me.permissions.includes("adjust")}
                      onClick={() => post({ intent: "approve", id: row.id })}
                    >
                      {t("permissions.approvals.approve")}
                    </Button>
                    <Button
                      size="slim"
                      loading={busy}
                      disabled={row.requestedBy === `staff:${me.userId}` || !me.permissions.includes("adjust")}
                      onClick={() => post({ intent: "decline", id: row.id })}
                    >
                      {t("permissions.approvals.decline")}
                    </Button>
                  </InlineStack>,
                ])}
              />
            )}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}

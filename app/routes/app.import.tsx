import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useRevalidator, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DropZone,
  InlineStack,
  Layout,
  List,
  Page,
  ProgressBar,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { TableCard } from "../components/TableCard";
import { adminLocale, dateTime, embeddedHref, type AdminLocale } from "../i18n/admin-locale";
import prisma from "../db.server";
import {
  applyImport,
  checkImport,
  ImportRefused,
  importReport,
  MAX_IMPORT_BYTES,
  spotCheck,
  type MappingNeeded,
  type SpotCheckRow,
} from "../imports/imports.server";
import { IMPORT_FIELDS, type ImportField } from "../imports/columns";
import { currentProgram, ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { permissionRefusal } from "../staff/staff.server";
import { BadUpload, BodyTooLarge, withUploadedFile } from "../http/body.server";

interface ImportJobView {
  id: string;
  fileName: string;
  status: "checking" | "checked" | "applying" | "applied";
  totalRows: number;
  validRows: number;
  rejectedRows: number;
  appliedRows: number;
  points: number;
  createdAt: string;
  createdBy: string;
}

interface ImportData {
  locale: AdminLocale;
  jobs: ImportJobView[];
  job: ImportJobView | null;
  /** Rows whose very content (same customer, points and note) an import already credited: they add nothing. */
  alreadyImported: number;
  /** Dry run: customers in this file who already hold a balance from an earlier import. */
  overlapping: number;
  earlierImports: Array<{ job: string; fileName: string; importedAt: string; members: number }>;
  valid: Array<{
    line: number;
    customer: string;
    name: string | null;
    points: number;
    available: number | null;
    duplicate: boolean;
    earlier: Array<{ fileName: string; importedAt: string }>;
    lots: Array<{ points: number; expiresOn: string }>;
    tierId: string | null;
    historyLines: number;
  }>;
  rejected: Array<{ line: number; customer: string; rejected: string | null }>;
  tiers: Array<{ id: string; name: string }>;
  /** The spot-check asked for (?check=N after applying), or null. */
  spotCheck: SpotCheckRow[] | null;
}

/** What the dry run answers. */
type UploadAnswer = { job?: string; error?: string; needsMapping?: MappingNeeded };

/** How many members a spot-check samples, unless the merchant picks another number. */
const SPOT_CHECK_DEFAULT = 20;
const SPOT_CHECK_MAX = 500;

const view = (job: {
  id: string;
  fileName: string;
  status: ImportJobView["status"];
  totalRows: number;
  validRows: number;
  rejectedRows: number;
  appliedRows: number;
  points: number;
  createdAt: Date;
  createdBy: string;
}): ImportJobView => ({ ...job, createdAt: job.createdAt.toISOString() });

// GET /app/import?job=<id>[&check=N]: recent imports, one import's dry-run report and progress, and after applying
// a spot-check of N random members of it.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const jobId = url.searchParams.get("job");
  const check = Number(url.searchParams.get("check") ?? "0");
  return prisma.$transaction(async (tx): Promise<ImportData> => {
    const shop = await ensureShop(tx, session.shop);
    const { settings } = await currentProgram(tx, shop);
    const jobs = await tx.importJob.findMany({ where: { shopId: shop.id }, orderBy: { createdAt: "desc" }, take: 10 });
    const job = jobId ? await tx.importJob.findFirst({ where: { id: jobId, shopId: shop.id } }) : null;
    if (jobId && !job) throw new Response("No such import", { status: 404 });
    const report = job
      ? await importReport(tx, job)
      : { alreadyImported: 0, overlapping: 0, earlierImports: [], valid: [], rejected: [] };
    const sample =
      job?.status === "applied" && Number.isInteger(check) && check > 0
        ? await spotCheck(tx, { ...job, shop }, Math.min(check, SPOT_CHECK_MAX))
        : null;
    return {
      locale: adminLocale(url),
      jobs: jobs.map(view),
      job: job ? view(job) : null,
      ...report,
      tiers: settings.tiers.levels.map(({ id, name }) => ({ id, name })),
      spotCheck: sample,
    };
  });
};

// POST multipart {mapping?, file}: the dry run (a mapping, when given, is sent before the file).  POST JSON {intent: "apply", job}: applies a checked import.
export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const { session, sessionToken } = auth;
  const refused = await permissionRefusal(request, auth, "import");
  if (refused) return refused;
  const actor = `staff:${sessionToken?.sub ?? "unknown"}`;
  const shop = await prisma.$transaction((tx) => ensureShop(tx, session.shop));
  if ((request.headers.get("Content-Type") ?? "").startsWith("application/json")) {
    const body = (await request.json().catch(() => null)) as { intent?: unknown; job?: unknown } | null;
    if (body?.intent !== "apply" || typeof body.job !== "string") {
      return Response.json({ error: "send {intent: 'apply', job}" }, { status: 400 });
    }
    const job = await prisma.importJob.findFirst({ where: { id: body.job, shopId: shop.id } });
    if (!job) return Response.json({ error: "No such import" }, { status: 404 });
    if (job.status === "checking")
      return Response.json({ error: "This file is still being checked." }, { status: 409 });
    if (job.validRows === 0)
      return Response.json({ error: "This file has no rows that can be imported." }, { status: 422 });
    // Runs on in the background: the page follows its progress, which is kept in the job row.
    void applyImport(prisma, job.id, actor).catch((error: unknown) => console.error("import failed", error));
    return Response.json({ job: job.id, status: "applying" });
  }
  try {
    // The file streams from the upload into the dry run; a mapping from the form comes before it.
    const outcome = await withUploadedFile(request, "file", MAX_IMPORT_BYTES, (file) =>
      checkImport(prisma, shop, file.name, file.chunks, actor, {
        mapping: file.fields.mapping === undefined ? undefined : parseMapping(file.fields.mapping),
      }),
    );
    if (!outcome) return Response.json({ error: "Choose a CSV file to import." }, { status: 400 });
    if ("needsMapping" in outcome) return Response.json({ needsMapping: outcome.needsMapping });
    const checked = outcome.checked;
    return Response.json({
      job: checked.job.id,
      encoding: checked.encoding,
      ignoredColumns: checked.ignoredColumns,
      recognisedApp: checked.recognisedApp,
      totalRows: checked.job.totalRows,
      validRows: checked.job.validRows,
      rejectedRows: checked.job.rejectedRows,
      alreadyImported: checked.alreadyImported,
      overlapping: checked.overlapping,
      earlierImports: checked.earlierImports,
    });
  } catch (error) {
    if (error instanceof BodyTooLarge || (error instanceof ImportRefused && error.status === 413)) {
      return Response.json(
        { error: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it into parts.` },
        { status: 413 },
      );
    }
    if (error instanceof BadUpload) {
      return Response.json({ error: "Upload the CSV file as multipart form data." }, { status: 400 });
    }
    if (error instanceof ImportRefused) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
};

/** The form's mapping field: JSON { field: column index }; anything else is refused by checkImport's check. */
function parseMapping(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export default function ImportPage() {
  const { locale, jobs, job, alreadyImported, overlapping, earlierImports, valid, rejected, tiers, spotCheck } =
    useLoaderData() as ImportData;
  const { t } = useTranslation();
  const status = {
    checking: t("migration.status.checking"),
    checked: t("import.status.checked"),
    applying: t("import.status.applying"),
    applied: t("import.status.applied"),
  };
  const upload = useFetcher<UploadAnswer>();
  const apply = useFetcher<{ job?: string; error?: string }>();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const [params] = useSearchParams();
  const [fileError, setFileError] = useState<string | null>(null);
  // Kept so the merchant can map the columns and check the same file again without choosing it anew.
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Partial<Record<ImportField, string>>>({});
  const [sampleSize, setSampleSize] = useState(String(SPOT_CHECK_DEFAULT));
  const needsMapping = upload.data?.needsMapping ?? null;
  useEffect(() => {
    if (!needsMapping) return;
    setMapping(
      Object.fromEntries(Object.entries(needsMapping.mapping).map(([field, index]) => [field, String(index)])),
    );
  }, [needsMapping]);
  const check = (chosen: File, columns?: Partial<Record<ImportField, string>>) => {
    const form = new FormData();
    // The mapping goes first: the server reads the fields before the file, which it streams.
    if (columns) form.append("mapping", JSON.stringify(columns));
    form.append("file", chosen);
    upload.submit(form, { method: "post", encType: "multipart/form-data" });
  };
  const fieldLabel: Record<ImportField, string> = {
    customerId: t("migration.fields.customerId"),
    email: t("migration.fields.email"),
    balance: t("migration.fields.balance"),
    expiresOn: t("migration.fields.expiresOn"),
    expiringPoints: t("migration.fields.expiringPoints"),
    expiryLots: t("migration.fields.expiryLots"),
    tier: t("migration.fields.tier"),
    note: t("migration.fields.note"),
    history: t("migration.fields.history"),
  };
  const problemText = (problem: SpotCheckRow["problems"][number]) => {
    switch (problem.code) {
      case "notCredited":
        return t("migration.spotCheck.problem.notCredited");
      case "creditedPoints":
        return t("migration.spotCheck.problem.creditedPoints", problem);
      case "lot":
        return t("migration.spotCheck.problem.lot", problem);
      case "balance":
        return t("migration.spotCheck.problem.balance", problem);
      case "tier":
        return t("migration.spotCheck.problem.tier", {
          expected: tierName(problem.expected),
          found: tierName(problem.found),
        });
    }
  };
  const tierName = (id: string | null) => tiers.find((tier) => tier.id === id)?.name ?? id ?? "—";
  const lotsText = (lots: Array<{ points: number; expiresOn: string | null }>) =>
    lots
      .map((lot) =>
        lot.expiresOn
          ? t("migration.lot", { points: lot.points, date: lot.expiresOn })
          : t("migration.lotProgram", { points: lot.points }),
      )
      .join(", ") || "—";

  useEffect(() => {
    if (upload.data?.job) navigate(embeddedHref("/app/import", params, { job: upload.data.job }));
    // Only a new upload answer navigates; params changing with it must not navigate again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [upload.data, navigate]);
  // Progress lives in the job row: poll while it runs, so a reload or another tab shows the same bar.
  const running = job?.status === "applying" || (apply.state !== "idle" && !apply.data?.error);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1000);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  const error = fileError ?? upload.data?.error ?? apply.data?.error;
  return (
    <Page
      title={t("import.title")}
      backAction={job ? { content: t("import.title"), url: embeddedHref("/app/import", params) } : undefined}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {error && <Banner tone="critical">{error}</Banner>}
            <Card>
              <BlockStack gap="300">
                <Text as="p">{t("import.intro")}</Text>
                <DropZone
                  accept=".csv,text/csv"
                  type="file"
                  allowMultiple={false}
                  onDrop={(files) => {
                    const chosen = files[0];
                    setFileError(null);
                    if (!chosen) return;
                    setFile(chosen);
                    check(chosen);
                  }}
                >
                  <DropZone.FileUpload
                    actionTitle={upload.state !== "idle" ? t("import.checking") : t("import.drop")}
                  />
                </DropZone>
              </BlockStack>
            </Card>
            {needsMapping && file && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("migration.mapping.title")}
                  </Text>
                  <Text as="p">{t("migration.mapping.intro")}</Text>
                  <InlineStack gap="300" wrap>
                    {IMPORT_FIELDS.map((field) => (
                      <Select
                        key={field}
                        label={fieldLabel[field]}
                        options={[
                          { label: t("migration.mapping.none"), value: "" },
                          ...needsMapping.header.map((name, index) => ({
                            label: name.trim() || t("migration.mapping.column", { number: index + 1 }),
                            value: String(index),
                          })),
                        ]}
                        value={mapping[field] ?? ""}
                        onChange={(value) => setMapping((current) => ({ ...current, [field]: value }))}
                      />
                    ))}
                  </InlineStack>
                  {needsMapping.sample.length > 0 && (
                    <TableCard
                      title={t("migration.mapping.sample")}
                      columnContentTypes={needsMapping.header.map(() => "text")}
                      headings={needsMapping.header}
                      rows={needsMapping.sample}
                    />
                  )}
                  <InlineStack>
                    <Button
                      variant="primary"
                      loading={upload.state !== "idle"}
                      disabled={!mapping.balance || !(mapping.customerId || mapping.email)}
                      onClick={() => check(file, mapping)}
                    >
                      {t("migration.mapping.check")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            )}
            {job && (
              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between">
                    <Text as="h2" variant="headingMd">
                      {t("import.report", { file: job.fileName })}
                    </Text>
                    <Badge
                      tone={job.status === "applied" ? "success" : job.status === "applying" ? "attention" : "info"}
                    >
                      {status[job.status]}
                    </Badge>
                  </InlineStack>
                  <Text as="p">
                    {t("import.counts", {
                      rows: t("import.rows", { count: job.totalRows }),
                      valid: job.validRows,
                      points: t("common.points", { count: job.points }),
                      rejected: job.rejectedRows,
                    })}
                  </Text>
                  {job.status === "checked" && overlapping > 0 && (
                    <Banner tone="warning" title={t("import.overlap.title", { count: overlapping })}>
                      <BlockStack gap="200">
                        <List>
                          {earlierImports.map((earlier) => (
                            <List.Item key={earlier.job}>
                              {t("import.overlap.from", {
                                file: earlier.fileName,
                                date: dateTime(earlier.importedAt, locale),
                                count: earlier.members,
                              })}
                            </List.Item>
                          ))}
                        </List>
                        <Text as="p">{t("import.overlap.policy")}</Text>
                      </BlockStack>
                    </Banner>
                  )}
                  {alreadyImported > 0 && (
                    <Banner tone="info">{t("import.already", { count: alreadyImported })}</Banner>
                  )}
                  {job.status !== "checked" && (
                    <BlockStack gap="100">
                      <ProgressBar
                        progress={job.validRows ? Math.round((job.appliedRows / job.validRows) * 100) : 100}
                        tone={job.status === "applied" ? "success" : "highlight"}
                        ariaLabelledBy="import-progress"
                      />
                      <Text as="p" id="import-progress" tone="subdued">
                        {job.status === "applied"
                          ? t("import.applied")
                          : t("import.progress", { done: job.appliedRows, count: job.validRows })}
                      </Text>
                    </BlockStack>
                  )}
                  {job.status === "checked" && job.validRows > 0 && (
                    <InlineStack>
                      <Button
                        variant="primary"
                        loading={apply.state !== "idle"}
                        onClick={() =>
                          apply.submit(
                            { intent: "apply", job: job.id },
                            { method: "post", encType: "application/json" },
                          )
                        }
                      >
                        {t("import.apply")}
                      </Button>
                    </InlineStack>
                  )}
                </BlockStack>
              </Card>
            )}
            {job?.status === "applied" && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("migration.spotCheck.title")}
                  </Text>
                  <Text as="p">{t("migration.spotCheck.intro")}</Text>
                  <InlineStack gap="200" blockAlign="end">
                    <TextField
                      label={t("migration.spotCheck.size")}
                      type="number"
                      min={1}
                      max={SPOT_CHECK_MAX}
                      autoComplete="off"
                      value={sampleSize}
                      onChange={setSampleSize}
                    />
                    <Button
                      onClick={() =>
                        navigate(embeddedHref("/app/import", params, { job: job.id, check: sampleSize || "20" }))
                      }
                    >
                      {t("migration.spotCheck.run")}
                    </Button>
                  </InlineStack>
                  {spotCheck && (
                    <Banner tone={spotCheck.every((row) => row.match) ? "success" : "critical"}>
                      {t("migration.spotCheck.summary", {
                        count: spotCheck.length,
                        matching: spotCheck.filter((row) => row.match).length,
                      })}
                    </Banner>
                  )}
                </BlockStack>
              </Card>
            )}
            {spotCheck && spotCheck.length > 0 && (
              <TableCard
                title={t("migration.spotCheck.table")}
                columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "text", "text", "text"]}
                headings={[
                  t("import.valid.columns.customer"),
                  t("import.valid.columns.name"),
                  t("migration.spotCheck.columns.imported"),
                  t("migration.spotCheck.columns.app"),
                  t("migration.spotCheck.columns.other"),
                  t("migration.spotCheck.columns.lots"),
                  t("migration.columns.tier"),
                  t("migration.spotCheck.columns.result"),
                ]}
                rows={spotCheck.map((row) => [
                  row.customer,
                  row.name ?? "—",
                  row.imported.points,
                  row.app.balance,
                  row.otherActivity === 0 ? "—" : `${row.otherActivity > 0 ? "+" : ""}${row.otherActivity}`,
                  `${lotsText(row.imported.lots)} → ${lotsText(row.app.lots)}`,
                  row.imported.tierId ? `${tierName(row.imported.tierId)} → ${tierName(row.app.tierId)}` : "—",
                  <BlockStack gap="100" key={row.line}>
                    <Badge tone={row.match ? "success" : "critical"}>
                      {row.match ? t("migration.spotCheck.match") : t("migration.spotCheck.mismatch")}
                    </Badge>
                    {row.problems.map((problem, index) => (
                      <Text as="span" tone="critical" key={index}>
                        {problemText(problem)}
                      </Text>
                    ))}
                  </BlockStack>,
                ])}
              />
            )}
            {job && valid.length > 0 && (
              <TableCard
                title={t("import.valid.title")}
                columnContentTypes={[
                  "numeric",
                  "text",
                  "text",
                  "numeric",
                  "numeric",
                  "numeric",
                  "text",
                  "text",
                  "text",
                ]}
                headings={[
                  t("import.valid.columns.line"),
                  t("import.valid.columns.customer"),
                  t("import.valid.columns.name"),
                  t("import.valid.columns.now"),
                  t("import.valid.columns.adds"),
                  t("import.valid.columns.after"),
                  t("migration.columns.lots"),
                  t("migration.columns.tier"),
                  t("import.valid.columns.earlier"),
                ]}
                rows={valid.map((row) => {
                  const now = row.available ?? 0;
                  const adds = row.duplicate ? 0 : row.points;
                  const earlier =
                    row.earlier
                      .map((e) => t("import.earlierCell", { file: e.fileName, date: dateTime(e.importedAt, locale) }))
                      .join(", ") || "—";
                  return [
                    row.line,
                    row.customer,
                    row.name ?? "—",
                    now,
                    row.duplicate ? t("import.nothing") : `+${row.points}`,
                    now + adds,
                    lotsText(row.lots),
                    row.tierId ? tierName(row.tierId) : "—",
                    earlier,
                  ];
                })}
              />
            )}
            {job && rejected.length > 0 && (
              <TableCard
                title={t("import.rejected.title")}
                columnContentTypes={["numeric", "text", "text"]}
                headings={[
                  t("import.rejected.columns.line"),
                  t("import.rejected.columns.customer"),
                  t("import.rejected.columns.reason"),
                ]}
                rows={rejected.map((row) => [row.line, row.customer || "—", row.rejected ?? ""])}
              />
            )}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("import.recent")}
              </Text>
              <List>
                {jobs.map((recent) => (
                  <List.Item key={recent.id}>
                    <Button variant="plain" url={embeddedHref("/app/import", params, { job: recent.id })}>
                      {recent.fileName}
                    </Button>{" "}
                    {status[recent.status]} · {dateTime(recent.createdAt, locale)}
                  </List.Item>
                ))}
              </List>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

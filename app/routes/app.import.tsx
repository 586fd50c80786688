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
  Text,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { TableCard } from "../components/TableCard";
import { adminLocale, dateTime, embeddedHref, type AdminLocale } from "../i18n/admin-locale";
import prisma from "../db.server";
import { applyImport, checkImport, ImportRefused, importReport, MAX_IMPORT_BYTES } from "../imports/imports.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";
import { BodyTooLarge, uploadedFile } from "../http/body.server";

interface ImportJobView {
  id: string;
  fileName: string;
  status: "checked" | "applying" | "applied";
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
  }>;
  rejected: Array<{ line: number; customer: string; rejected: string | null }>;
}

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

// GET /app/import?job=<id>: recent imports, and one import's dry-run report and progress.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const jobId = url.searchParams.get("job");
  return prisma.$transaction(async (tx): Promise<ImportData> => {
    const shop = await ensureShop(tx, session.shop);
    const jobs = await tx.importJob.findMany({ where: { shopId: shop.id }, orderBy: { createdAt: "desc" }, take: 10 });
    const job = jobId ? await tx.importJob.findFirst({ where: { id: jobId, shopId: shop.id } }) : null;
    if (jobId && !job) throw new Response("No such import", { status: 404 });
    const report = job
      ? await importReport(tx, job)
      : { alreadyImported: 0, overlapping: 0, earlierImports: [], valid: [], rejected: [] };
    return { locale: adminLocale(url), jobs: jobs.map(view), job: job ? view(job) : null, ...report };
  });
};

// POST multipart {file}: the dry run.  POST JSON {intent: "apply", job}: applies a checked import.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const actor = `staff:${sessionToken?.sub ?? "unknown"}`;
  const shop = await prisma.$transaction((tx) => ensureShop(tx, session.shop));
  if ((request.headers.get("Content-Type") ?? "").startsWith("application/json")) {
    const body = (await request.json().catch(() => null)) as { intent?: unknown; job?: unknown } | null;
    if (body?.intent !== "apply" || typeof body.job !== "string") {
      return Response.json({ error: "send {intent: 'apply', job}" }, { status: 400 });
    }
    const job = await prisma.importJob.findFirst({ where: { id: body.job, shopId: shop.id } });
    if (!job) return Response.json({ error: "No such import" }, { status: 404 });
    if (job.validRows === 0)
      return Response.json({ error: "This file has no rows that can be imported." }, { status: 422 });
    // Runs on in the background: the page follows its progress, which is kept in the job row.
    void applyImport(prisma, job.id, actor).catch((error: unknown) => console.error("import failed", error));
    return Response.json({ job: job.id, status: "applying" });
  }
  let file: Awaited<ReturnType<typeof uploadedFile>>;
  try {
    file = await uploadedFile(request, "file", MAX_IMPORT_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      return Response.json(
        { error: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it into parts.` },
        { status: 413 },
      );
    }
    return Response.json({ error: "Upload the CSV file as multipart form data." }, { status: 400 });
  }
  if (!file) return Response.json({ error: "Choose a CSV file to import." }, { status: 400 });
  try {
    const checked = await checkImport(prisma, shop, file.name, file.bytes, actor);
    return Response.json({
      job: checked.job.id,
      encoding: checked.encoding,
      ignoredColumns: checked.ignoredColumns,
      totalRows: checked.job.totalRows,
      validRows: checked.job.validRows,
      rejectedRows: checked.job.rejectedRows,
      alreadyImported: checked.alreadyImported,
      overlapping: checked.overlapping,
      earlierImports: checked.earlierImports,
    });
  } catch (error) {
    if (error instanceof ImportRefused) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
};

export default function ImportPage() {
  const { locale, jobs, job, alreadyImported, overlapping, earlierImports, valid, rejected } =
    useLoaderData() as ImportData;
  const { t } = useTranslation();
  const status = {
    checked: t("import.status.checked"),
    applying: t("import.status.applying"),
    applied: t("import.status.applied"),
  };
  const upload = useFetcher<{ job?: string; error?: string }>();
  const apply = useFetcher<{ job?: string; error?: string }>();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const [params] = useSearchParams();
  const [fileError, setFileError] = useState<string | null>(null);

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
                    const file = files[0];
                    setFileError(null);
                    if (!file) return;
                    const form = new FormData();
                    form.append("file", file);
                    upload.submit(form, { method: "post", encType: "multipart/form-data" });
                  }}
                >
                  <DropZone.FileUpload
                    actionTitle={upload.state !== "idle" ? t("import.checking") : t("import.drop")}
                  />
                </DropZone>
              </BlockStack>
            </Card>
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
            {job && valid.length > 0 && (
              <TableCard
                title={t("import.valid.title")}
                columnContentTypes={["numeric", "text", "text", "numeric", "numeric", "numeric", "text"]}
                headings={[
                  t("import.valid.columns.line"),
                  t("import.valid.columns.customer"),
                  t("import.valid.columns.name"),
                  t("import.valid.columns.now"),
                  t("import.valid.columns.adds"),
                  t("import.valid.columns.after"),
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

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AnySchema } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Member, Prisma, Shop } from "../generated/prisma/client";
import prisma from "../db.server";
import { AdjustmentRefused } from "../members/staff-actions.server";
import { checkConfirmation, confirmationToken } from "./confirmation";
import {
  adjustmentKeyOf,
  applyAdjustment,
  balanceOf,
  explainOrder,
  findMember,
  findMembers,
  programSummary,
  recentPassbook,
  sendStatement,
} from "./members.server";

/** Who is calling: a staff assistant with an API key, or a logged-in shopper through the app proxy. */
export type McpCaller =
  | { kind: "staff"; shop: Shop; actor: string; keyId: string; canWrite: boolean }
  | { kind: "shopper"; shop: Shop; actor: string; customerId: string };

/** What a tool did: the answer, the audit log's subject, and whether it was refused. */
interface Outcome {
  result: unknown;
  subject: string;
  refused?: boolean;
}

const subjectOf = (member: Pick<Member, "customerId">) => `customer ${member.customerId}`;
const refused = (subject: string, message: string): Outcome => ({ result: { error: message }, subject, refused: true });

const customerId = z
  .string()
  .regex(/^(gid:\/\/shopify\/Customer\/)?\d{1,20}$/, "a Shopify customer id (1234567890) or its GID")
  .describe("Shopify customer id or GID / Shopify の顧客 ID（数字）または GID");
const orderId = z
  .string()
  .min(1)
  .max(100)
  .describe("Shopify order id, GID or order name like #1001 / Shopify の注文 ID、GID、または注文番号（#1001）");
const passbookLimit = z
  .number()
  .int()
  .min(1)
  .max(50)
  .optional()
  .describe("How many lines, newest first (default 20) / 新しい順の件数（既定 20）");
const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month as YYYY-MM")
  .optional()
  .describe("The month, YYYY-MM; default this month in the shop's time zone / 対象月（YYYY-MM）。既定はショップの今月");

/** The secret confirmation tokens are signed with. */
function confirmationSecret(): string {
  const secret = process.env.SHOPIFY_API_SECRET;
  if (!secret) throw new Error("SHOPIFY_API_SECRET is not set");
  return secret;
}

/**
 * The MCP server for one request (stateless: one server per HTTP request). Staff assistants get every tool for their
 * shop, shoppers the read tools about themselves and their own statement. Every call is written to the audit log.
 */
export function mcpServer(caller: McpCaller): { server: McpServer; audited: Set<string | number> } {
  const server = new McpServer(
    { name: "tsumiki", title: "Tsumiki loyalty points / Tsumiki ポイント", version: "1.0.0" },
    {
      instructions:
        caller.kind === "staff"
          ? "Loyalty points of one Shopify shop for its staff. Find a member first; points change only through a confirmed adjust_points. / ショップスタッフ向けのポイント管理。まず会員を探してください。ポイントの変更は確認済みの adjust_points のみです。"
          : "Your own loyalty points in this shop. / このショップでのあなたのポイント。",
    },
  );
  /** The tools/call requests a tool answered (and audited); the rest were refused before reaching one. */
  const audited = new Set<string | number>();

  /** Registers a tool whose every call, answered or refused, is audited as `mcp.<tool>`. */
  function tool<Shape extends z.ZodRawShape>(
    name: string,
    config: { title: string; description: string; input: Shape; readOnly: boolean; destructive?: boolean },
    run: (args: z.infer<z.ZodObject<Shape>>) => Promise<Outcome>,
  ) {
    // Strict: a parameter the tool does not have (a shopper naming a customer) is refused, not ignored.
    const inputSchema: AnySchema = z.strictObject(config.input);
    server.registerTool(
      name,
      {
        title: config.title,
        description: config.description,
        inputSchema,
        annotations: {
          readOnlyHint: config.readOnly,
          destructiveHint: config.destructive ?? false,
          openWorldHint: false,
        },
      },
      async (args, extra): Promise<CallToolResult> => {
        let outcome: Outcome;
        try {
          outcome = await run(args as z.infer<z.ZodObject<Shape>>);
        } catch (error) {
          if (!(error instanceof AdjustmentRefused)) throw error;
          outcome = refused("member", error.message);
        }
        audited.add(extra.requestId);
        await auditToolCall(caller, name, args, outcome.subject, outcome.refused ? outcomeError(outcome) : null);
        return {
          content: [{ type: "text", text: JSON.stringify(outcome.result, null, 2) }],
          ...(outcome.refused ? { isError: true } : {}),
        };
      },
    );
  }

  if (caller.kind === "staff") registerStaffTools(caller, tool);
  else registerShopperTools(caller, tool);
  return { server, audited };
}

const outcomeError = (outcome: Outcome) => (outcome.result as { error: string }).error;

/** One tool call in the audit log: `mcp.<tool>` by the caller, about a member, with its arguments and outcome. */
export async function auditToolCall(
  caller: McpCaller,
  name: string,
  args: unknown,
  subject: string,
  error: string | null,
): Promise<void> {
  // The token is a credential for one write: it is not kept in the audit log.
  const { confirmation, ...logged } = (args && typeof args === "object" ? args : {}) as Record<string, unknown>;
  await prisma.auditLog.create({
    data: {
      shopId: caller.shop.id,
      actor: caller.actor,
      action: `mcp.${name}`.slice(0, 100),
      subject,
      after: {
        arguments: logged,
        ...(confirmation ? { confirmed: true } : {}),
        outcome: error === null ? "answered" : "refused",
        ...(error === null ? {} : { error: error.slice(0, 500) }),
      } as Prisma.InputJsonValue,
    },
  });
}

type Register = <Shape extends z.ZodRawShape>(
  name: string,
  config: { title: string; description: string; input: Shape; readOnly: boolean; destructive?: boolean },
  run: (args: z.infer<z.ZodObject<Shape>>) => Promise<Outcome>,
) => void;

const NOT_FOUND = "No member with this customer id in this shop. / このショップにその顧客 ID の会員はいません。";

function registerStaffTools(caller: Extract<McpCaller, { kind: "staff" }>, tool: Register) {
  const { shop } = caller;
  const member = async (id: string) => prisma.$transaction((tx) => findMember(tx, shop.id, id));

  tool(
    "find_member",
    {
      title: "Find a member / 会員を探す",
      description:
        "Find loyalty members by Shopify customer id, email or name (every word must match); best balance first. / Shopify の顧客 ID・メールアドレス・氏名で会員を検索します（すべての語に一致）。残高の多い順。",
      input: {
        query: z.string().trim().min(1).max(200).describe("Customer id, email or name / 顧客 ID、メール、氏名"),
        limit: z
          .number()
          .int()
          .min(1)
          .max(20)
          .optional()
          .describe("At most this many (default 5) / 最大件数（既定 5）"),
      },
      readOnly: true,
    },
    async ({ query, limit }) => {
      const found = await prisma.$transaction((tx) => findMembers(tx, shop.id, query, limit ?? 5));
      const subject =
        found.members.length === 1 ? `customer ${found.members[0].customerId}` : `member search (${found.total} found)`;
      return { result: found, subject };
    },
  );

  tool(
    "get_balance",
    {
      title: "Get a member's balance / 会員のポイント残高",
      description:
        "A member's points: available to spend, pending (in the return window), held by a checkout, owed, tier and the next expiry. / 会員のポイント残高：利用可能・保留中（返品期間中）・チェックアウトで確保中・不足分、ランク、次の失効。",
      input: { customer_id: customerId },
      readOnly: true,
    },
    async (args) => {
      const found = await member(args.customer_id);
      if (!found) return refused(`customer ${args.customer_id}`, NOT_FOUND);
      return { result: await prisma.$transaction((tx) => balanceOf(tx, shop, found)), subject: subjectOf(found) };
    },
  );

  tool(
    "get_passbook",
    {
      title: "Get a member's passbook / 会員のポイント通帳",
      description:
        "A member's recent ledger entries (earned, spent, expired, adjusted), newest first, with the balance after each. / 会員の最近のポイント履歴（獲得・利用・失効・調整）を新しい順に、各行の後の残高とともに返します。",
      input: { customer_id: customerId, limit: passbookLimit },
      readOnly: true,
    },
    async (args) => {
      const found = await member(args.customer_id);
      if (!found) return refused(`customer ${args.customer_id}`, NOT_FOUND);
      const book = await prisma.$transaction((tx) => recentPassbook(tx, shop, found, args.limit ?? 20));
      return { result: book, subject: subjectOf(found) };
    },
  );

  tool(
    "explain_order_points",
    {
      title: "Explain an order's points / 注文のポイント計算",
      description:
        "How an order earned its points: the amount that counted, the rate, each boost and bonus, rounding, and what refunds took back. / 注文のポイント計算の内訳：対象金額、付与率、倍率・ボーナス、端数処理、返品による取り消し。",
      input: { order_id: orderId },
      readOnly: true,
    },
    async (args) => {
      const order = await prisma.$transaction((tx) => explainOrder(tx, shop, args.order_id, null));
      if (!order)
        return refused(`order ${args.order_id}`, "No such order in this shop. / このショップにその注文はありません。");
      return { result: order, subject: order.customerId ? `customer ${order.customerId}` : `order ${order.orderId}` };
    },
  );

  tool(
    "program_summary",
    {
      title: "Program summary / ポイントプログラムの概要",
      description:
        "The program in force: earn rate, point value, pending days, expiry, redemption limits, tiers, running campaigns and rewards. / 現在のプログラム：付与率、ポイントの価値、保留期間、有効期限、利用条件、ランク、開催中のキャンペーン、特典。",
      input: {},
      readOnly: true,
    },
    async () => ({ result: await prisma.$transaction((tx) => programSummary(tx, shop)), subject: "program" }),
  );

  tool(
    "adjust_points",
    {
      title: "Adjust a member's points (two steps) / ポイントの手動調整（2段階）",
      description:
        "Add (positive) or remove (negative) points by hand, with a reason the customer's passbook shows. Needs a key with the write scope. Call once without `confirmation`: nothing changes, you get a summary and a token valid for 5 minutes; show the summary to the person you act for, then call again with the same arguments and the token to apply it (once, however often it is sent). / 理由を付けてポイントを手動で加算（正）・減算（負）します。write スコープのキーが必要です。まず `confirmation` なしで呼ぶと何も変更せず、概要と5分間有効な確認トークンを返します。依頼者に概要を確認してから、同じ引数とトークンで再度呼ぶと適用されます（何度送っても1回だけ）。",
      input: {
        customer_id: customerId,
        points: z
          .number()
          .int()
          .min(-1_000_000)
          .max(1_000_000)
          .refine((n) => n !== 0, "points must not be 0")
          .describe("Points to add, negative to remove / 加算するポイント（減算は負の数）"),
        reason: z
          .string()
          .trim()
          .min(3)
          .max(500)
          .describe("Why; shown in the customer's passbook / 理由（お客様の履歴に表示されます）"),
        confirmation: z
          .string()
          .max(200)
          .optional()
          .describe("The token from the first call / 1回目の呼び出しで受け取った確認トークン"),
      },
      readOnly: false,
      // Negative points take points away.
      destructive: true,
    },
    async ({ confirmation, ...args }) => {
      const subject = `customer ${args.customer_id}`;
      if (!caller.canWrite) {
        return refused(
          subject,
          'Forbidden: this API key lacks the "write" scope. / 権限がありません：この API キーには write スコープがありません。',
        );
      }
      const found = await member(args.customer_id);
      if (!found) return refused(subject, NOT_FOUND);
      const call = { tool: "adjust_points", keyId: caller.keyId, args };
      if (!confirmation) {
        const { token, expiresAt } = confirmationToken(confirmationSecret(), call, Date.now());
        return {
          subject: subjectOf(found),
          result: {
            status: "confirmation_required",
            summary: {
              customerId: found.customerId,
              name: [found.lastName, found.firstName].filter(Boolean).join(" "),
              points: args.points,
              reason: args.reason,
              availableNow: found.pointsAvailable,
              availableAfter: found.pointsAvailable + args.points,
            },
            confirmation: token,
            expiresAt: expiresAt.toISOString(),
            next: "Call adjust_points again with the same arguments and this confirmation. / 同じ引数とこの確認トークンで adjust_points を再度呼んでください。",
          },
        };
      }
      const check = checkConfirmation(confirmationSecret(), confirmation, call, Date.now());
      if (!check.ok) {
        return refused(
          subjectOf(found),
          check.reason === "expired"
            ? "The confirmation expired; call without it for a new one. / 確認トークンの期限が切れました。"
            : "The confirmation does not match these arguments or this key. / 確認トークンがこの引数またはキーと一致しません。",
        );
      }
      const done = await applyAdjustment(
        shop,
        found,
        { points: args.points, reason: args.reason, key: adjustmentKeyOf(confirmation) },
        caller.actor,
      );
      const after = await prisma.member.findUniqueOrThrow({ where: { id: found.id } });
      const status =
        "pending" in done
          ? "awaiting_approval"
          : done.held
            ? "held_for_review"
            : done.applied
              ? "applied"
              : "already_applied";
      return {
        subject: subjectOf(found),
        result: {
          status,
          ...("pending" in done ? { approval: done.pending } : {}),
          customerId: found.customerId,
          points: args.points,
          available: after.pointsAvailable,
          pending: after.pointsPending,
        },
      };
    },
  );

  tool(
    "send_statement",
    {
      title: "Email a member their statement / 会員にポイント明細をメール送信",
      description:
        "Emails the member their points statement for a month (every passbook line of the month and the balance at its end), now. Asked again within 10 minutes, the same email is not sent twice. / 会員に指定月のポイント明細（その月の全履歴と月末残高）を今すぐメールで送ります。10分以内の再依頼では同じメールを二重に送りません。",
      input: { customer_id: customerId, month },
      readOnly: false,
    },
    async (args) => {
      const found = await member(args.customer_id);
      if (!found) return refused(`customer ${args.customer_id}`, NOT_FOUND);
      const sent = await sendStatement(shop, found, args.month);
      if (sent.status === "not_sent") return refused(subjectOf(found), sent.reason);
      return { result: sent, subject: subjectOf(found) };
    },
  );
}

function registerShopperTools(caller: Extract<McpCaller, { kind: "shopper" }>, tool: Register) {
  const { shop } = caller;
  const subject = `customer ${caller.customerId}`;
  const NOT_MEMBER = "You have no points in this shop yet. / このショップでのポイントはまだありません。";
  const me = () => prisma.$transaction((tx) => findMember(tx, shop.id, caller.customerId));

  tool(
    "get_balance",
    {
      title: "My points balance / ポイント残高",
      description:
        "Your points in this shop: available to spend, pending (until the return window ends), held by a checkout, and when the next points expire. / このショップでのあなたのポイント：利用可能、保留中（返品期間終了まで）、チェックアウトで確保中、次に失効するポイント。",
      input: {},
      readOnly: true,
    },
    async () => {
      const found = await me();
      if (!found) return refused(subject, NOT_MEMBER);
      const balance = await prisma.$transaction((tx) => balanceOf(tx, shop, found));
      return { result: balance, subject };
    },
  );

  tool(
    "get_passbook",
    {
      title: "My points history / ポイント履歴",
      description:
        "Your recent points history (earned, spent, expired), newest first, with the balance after each line. / あなたの最近のポイント履歴（獲得・利用・失効）を新しい順に、各行の後の残高とともに。",
      input: { limit: passbookLimit },
      readOnly: true,
    },
    async ({ limit }) => {
      const found = await me();
      if (!found) return refused(subject, NOT_MEMBER);
      return { result: await prisma.$transaction((tx) => recentPassbook(tx, shop, found, limit ?? 20)), subject };
    },
  );

  tool(
    "explain_order_points",
    {
      title: "Points of my order / 注文のポイント",
      description:
        "How one of your orders earned its points: the amount that counted, the rate, boosts, bonuses and rounding. / あなたの注文のポイント計算：対象金額、付与率、倍率、ボーナス、端数処理。",
      input: { order_id: orderId },
      readOnly: true,
    },
    async (args) => {
      const found = await me();
      const order = found ? await prisma.$transaction((tx) => explainOrder(tx, shop, args.order_id, found.id)) : null;
      if (!order) return refused(subject, "No such order of yours. / あなたの注文に該当するものはありません。");
      return { result: order, subject };
    },
  );

  tool(
    "program_summary",
    {
      title: "How the points program works / ポイントプログラムの概要",
      description:
        "How points are earned, what they are worth, when they expire, tiers, running campaigns and rewards. / ポイントの貯め方、価値、有効期限、ランク、開催中のキャンペーン、特典。",
      input: {},
      readOnly: true,
    },
    async () => ({ result: await prisma.$transaction((tx) => programSummary(tx, shop)), subject }),
  );

  tool(
    "send_my_statement",
    {
      title: "Email me my statement / ポイント明細をメールで受け取る",
      description:
        "Emails you your points statement for a month (default this month) to the address of your account. / 指定月（既定は今月）のポイント明細を、アカウントのメールアドレスに送ります。",
      input: { month },
      readOnly: false,
    },
    async (args) => {
      const found = await me();
      if (!found) return refused(subject, NOT_MEMBER);
      const sent = await sendStatement(shop, found, args.month);
      if (sent.status === "not_sent") return refused(subject, sent.reason);
      return { result: sent, subject };
    },
  );
}

import type { ReportLocale } from "./report-text";
import type { Rejection } from "./rejection";

/**
 * An OpenAI-compatible chat-completions endpoint (OpenAI, Azure's compatible API, a local Ollama or vLLM…) that
 * rewrites a draft for readability. Optional: without LLM_BASE_URL and LLM_MODEL nothing is ever sent.
 */
export interface LanguageModel {
  /** Names the endpoint and model in stored reasons, never the key. */
  readonly name: string;
  rewrite(draft: string, locale: ReportLocale): Promise<string>;
}

export class LanguageModelError extends Error {
  constructor(
    message: string,
    readonly rejection: Rejection,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 20_000;

const INSTRUCTIONS: Record<ReportLocale, string> = {
  en:
    "You edit reports for a shop's loyalty program. Rewrite the draft the user sends so it reads well, in English. " +
    "Keep every number exactly as it is, written in digits, and add no number of your own: no totals, rounding, " +
    "estimates or dates. Keep the paragraphs. Answer with the rewritten text only.",
  ja:
    "あなたはショップのポイントプログラムの報告を整える編集者です。ユーザーが送る下書きを、日本語のまま読みやすく書き直してください。" +
    "数字はすべて下書きのとおり算用数字で残し、合計・四捨五入・概数・日付など新しい数字を加えないでください。段落は保ってください。" +
    "書き直した本文だけを返してください。",
};

interface ChatCompletion {
  choices?: Array<{ message?: { content?: unknown } }>;
}

/**
 * The configured model, or null when LLM_BASE_URL or LLM_MODEL is unset. LLM_API_KEY is sent as a bearer token
 * when set (a local server may need none).
 */
export function languageModelFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: { timeoutMs?: number } = {},
): LanguageModel | null {
  const baseUrl = env.LLM_BASE_URL?.trim().replace(/\/+$/, "");
  const model = env.LLM_MODEL?.trim();
  if (!baseUrl || !model) return null;
  const apiKey = env.LLM_API_KEY?.trim();
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const url = `${baseUrl}/chat/completions`;
  return {
    name: `${model} at ${baseUrl}`,
    async rewrite(draft, locale) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
          },
          body: JSON.stringify({
            model,
            temperature: 0.2,
            messages: [
              { role: "system", content: INSTRUCTIONS[locale] },
              { role: "user", content: draft },
            ],
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        if (error instanceof DOMException && error.name === "TimeoutError") {
          throw new LanguageModelError(`the language model did not answer within ${timeoutMs / 1000} s`, {
            code: "timeout",
            seconds: timeoutMs / 1000,
          });
        }
        const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : "";
        throw new LanguageModelError(`the language model could not be reached (${cause})`, {
          code: "unreachable",
          detail: cause,
        });
      }
      if (!response.ok) {
        throw new LanguageModelError(`the language model answered HTTP ${response.status}`, {
          code: "http",
          status: response.status,
        });
      }
      const body = (await response.json().catch(() => null)) as ChatCompletion | null;
      const content = body?.choices?.[0]?.message?.content;
      if (typeof content !== "string")
        throw new LanguageModelError("the language model's answer had no text", { code: "noText" });
      return content.trim();
    },
  };
}

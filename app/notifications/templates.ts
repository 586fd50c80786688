import { Liquid } from "liquidjs";
import type { MessageKind, MessageLocale } from "./kinds";
import { sampleVariables, type MessageVariables } from "./variables";

// Bodies are HTML: every {{ value }} is escaped unless the merchant writes `| raw`. Unknown variables and filters
// are errors, so a typo is refused when saved instead of sending "Hi ," to every member.
const options = { strictVariables: true, strictFilters: true, ownPropertyOnly: true } as const;
const htmlEngine = new Liquid({ ...options, outputEscape: "escape" });
// Subjects are plain text: escaping would show "&amp;" in the inbox.
const textEngine = new Liquid(options);

type Parsed = ReturnType<Liquid["parse"]>;
const parsedCache = new Map<string, Parsed>();

/** Parses once per engine and source: a reminder run renders the same few templates for every member. */
function parse(engine: Liquid, source: string): Parsed {
  const key = `${engine === htmlEngine ? "h" : "t"}:${source}`;
  let parsed = parsedCache.get(key);
  if (!parsed) {
    parsed = engine.parse(source);
    if (parsedCache.size >= 500) parsedCache.clear();
    parsedCache.set(key, parsed);
  }
  return parsed;
}

function render(engine: Liquid, source: string, variables: object): string {
  return engine.renderSync(parse(engine, source), variables);
}

export interface MessageTemplateText {
  subject: string;
  body: string;
}

export interface TemplateProblem {
  field: "subject" | "body";
  line: number;
  column: number;
  /** What is wrong, for the admin to say in its language; `reason` is the engine's own words (English). */
  code: "unknown_variable" | "unknown_filter" | "unclosed" | "empty" | "syntax";
  /** The variable, filter or tag concerned. */
  name?: string;
  reason: string;
}

function problemOf(field: TemplateProblem["field"], error: unknown): TemplateProblem {
  const raw = error instanceof Error ? error.message : String(error);
  const position = /, line:(\d+), col:(\d+)/.exec(raw);
  const reason = raw.replace(/, line:\d+, col:\d+.*$/s, "");
  const at = { field, line: position ? Number(position[1]) : 1, column: position ? Number(position[2]) : 1, reason };
  const variable = /^undefined variable: (.+)$/.exec(reason);
  if (variable) return { ...at, code: "unknown_variable", name: variable[1] };
  const filter = /^undefined filter: (.+)$/.exec(reason);
  if (filter) return { ...at, code: "unknown_filter", name: filter[1] };
  const tag = /^tag (.+) not closed$/.exec(reason);
  if (tag) return { ...at, code: "unclosed", name: tag[1] };
  return { ...at, code: "syntax" };
}

/**
 * Whether a template can be saved: it parses, and renders against every variable its kind offers (in both
 * languages' formatting) without naming anything else. Returns the first problem with its line, or null.
 */
export function checkTemplate(kind: MessageKind, template: MessageTemplateText): TemplateProblem | null {
  if (!template.subject.trim()) {
    return { field: "subject", line: 1, column: 1, code: "empty", reason: "The subject is empty" };
  }
  if (!template.body.trim()) return { field: "body", line: 1, column: 1, code: "empty", reason: "The body is empty" };
  for (const locale of ["ja", "en"] as const) {
    const variables = sampleVariables(kind, locale);
    for (const field of ["subject", "body"] as const) {
      try {
        render(field === "subject" ? textEngine : htmlEngine, template[field], variables);
      } catch (error) {
        return problemOf(field, error);
      }
    }
  }
  return null;
}

export interface RenderedMessage {
  subject: string;
  html: string;
}

/** Renders a checked template with one message's variables. */
export function renderTemplate(template: MessageTemplateText, variables: MessageVariables): RenderedMessage {
  const subject = render(textEngine, template.subject, variables).replace(/\s+/g, " ").trim();
  return { subject, html: render(htmlEngine, template.body, variables) };
}

export type { MessageLocale };

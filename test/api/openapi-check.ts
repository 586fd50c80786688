import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { openApiDocument } from "../../app/api/openapi";

type Json = { [key: string]: unknown };

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

/** The document's component schemas as `$defs`, so a response schema compiles on its own. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === "$ref" && typeof inner === "string"
        ? inner.replace("#/components/schemas/", "#/$defs/")
        : rewriteRefs(inner),
    ]),
  );
}
const defs = rewriteRefs(openApiDocument.components.schemas) as Json;

function follow(value: Json): Json {
  const pointer = value.$ref;
  if (typeof pointer !== "string") return value;
  let target: unknown = openApiDocument;
  for (const part of pointer.replace(/^#\//, "").split("/")) target = (target as Json)[part.replace(/~1/g, "/")];
  return target as Json;
}

const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

/**
 * Checks one answer against the document: the path and method are described, the status is among its responses,
 * the content type is the one documented, and the body matches its schema. Returns what is wrong, or [] when nothing.
 */
export function checkAgainstDocument(
  pathTemplate: string,
  method: string,
  status: number,
  contentType: string | null,
  body: unknown,
): string[] {
  const path = openApiDocument.paths[pathTemplate] as Json | undefined;
  const operation = path?.[method.toLowerCase()] as Json | undefined;
  if (!operation) return [`${method} ${pathTemplate} is not in the document`];
  const responses = operation.responses as Json;
  const described = responses[String(status)] as Json | undefined;
  if (!described) return [`${method} ${pathTemplate} does not document status ${status}`];
  const response = follow(described);
  const content = response.content as Record<string, { schema: Json }> | undefined;
  const mediaType = (contentType ?? "").split(";")[0].trim();
  if (!content?.[mediaType])
    return [`${method} ${pathTemplate} ${status}: content type ${mediaType} is not documented`];
  const id = `${pathTemplate} ${method} ${status} ${mediaType}`;
  let validate = compiled.get(id);
  if (!validate) {
    validate = ajv.compile({ ...(rewriteRefs(content[mediaType].schema) as Json), $defs: defs });
    compiled.set(id, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((error) => `${id}: ${error.instancePath || "/"} ${error.message ?? ""}`);
}

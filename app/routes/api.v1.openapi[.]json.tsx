import { openApiDocument } from "../api/openapi";

// GET /api/v1/openapi.json: the API's OpenAPI 3.1 description (public: it holds no shop's data).
export const loader = () => Response.json(openApiDocument, { headers: { "Cache-Control": "public, max-age=300" } });

-- Customer search matches any part of a name or an email, in either name order: a trigram index over one
-- lower-cased haystack (app/services/member-search.server.ts builds the same expression).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "Member_search_trgm_idx" ON "Member" USING gin ((
  lower(coalesce(email, '') || ' ' || coalesce("firstName", '') || ' ' || coalesce("lastName", '') || ' ' ||
        coalesce("lastName", '') || coalesce("firstName", ''))
) gin_trgm_ops);

-- Sorting and filtering the customers list.
CREATE INDEX "Member_shopId_pointsAvailable_idx" ON "Member" ("shopId", "pointsAvailable");
CREATE INDEX "Member_shopId_lastActivityAt_idx" ON "Member" ("shopId", "lastActivityAt");
CREATE INDEX "Member_shopId_createdAt_idx" ON "Member" ("shopId", "createdAt");

import { useNavigate, useSearchParams } from "@remix-run/react";

/**
 * Filters live in the URL: returns the current query and a function that changes some of its values and
 * navigates (blank values are dropped; any change but paging goes back to the first page).
 */
export function useQueryUpdate(path: string, pageKey: string) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!(pageKey in changes)) next.delete(pageKey);
    navigate(`${path}?${next.toString()}`);
  };
  return { params, update };
}

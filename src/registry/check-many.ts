/**
 * `checkMany`: many access checks with a concurrency limit, one keep-alive transport and one token cache,
 * so images of one registry reuse connections and images of one repository share a token request.
 */
import { mapWithConcurrency } from "../concurrency.js";
import { checkAccess } from "./access.js";
import type { CheckAccessOptions } from "./access.js";
import { createTokenCache } from "./token-cache.js";
import { createTransport } from "./transport.js";
import type { AccessResult } from "./types.js";

/** One check: what differs per image. */
export type CheckManyItem = Pick<CheckAccessOptions, "image" | "credential" | "platform" | "plainHttp">;

/** Options shared by every check, plus the concurrency limit (default 8). */
export type CheckManyOptions = Omit<CheckAccessOptions, "image" | "credential" | "platform" | "plainHttp"> & {
  concurrency?: number;
  /** Applies to items that do not set it. */
  plainHttp?: boolean;
};

export const DEFAULT_CHECK_CONCURRENCY = 8;

/** Runs `checkAccess` for every item (results in input order). */
export async function checkMany(
  items: readonly CheckManyItem[],
  options: CheckManyOptions = {},
): Promise<AccessResult[]> {
  const { concurrency = DEFAULT_CHECK_CONCURRENCY, ...shared } = options;
  const own = shared.transport === undefined;
  const transport = shared.transport ?? createTransport(shared);
  const tokenCache = shared.tokenCache ?? createTokenCache();
  try {
    return await mapWithConcurrency(items, concurrency, (item) =>
      checkAccess({
        ...shared,
        ...item,
        plainHttp: item.plainHttp ?? shared.plainHttp,
        transport,
        tokenCache,
      }),
    );
  } finally {
    if (own) transport.close();
  }
}

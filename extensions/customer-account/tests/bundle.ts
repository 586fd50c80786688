import { bundleModuleSize, type ModuleSize } from "../../checkout-points/tests/bundle";

export type { ModuleSize };

export const TARGET_MODULES = {
  "customer-account.page.render": "page.tsx",
  "customer-account.profile.block.render": "profile.tsx",
  "customer-account.order-status.block.render": "order-status.tsx",
} as const;

/** Each target's module as the Shopify CLI ships it (see bundleModuleSize), what a customer downloads. */
export async function bundleSizes(): Promise<Record<keyof typeof TARGET_MODULES, ModuleSize>> {
  const sizes = await Promise.all(
    Object.entries(TARGET_MODULES).map(
      async ([target, file]) => [target, await bundleModuleSize(`extensions/customer-account/src/${file}`)] as const,
    ),
  );
  return Object.fromEntries(sizes) as Record<keyof typeof TARGET_MODULES, ModuleSize>;
}

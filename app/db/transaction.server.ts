import type { Prisma } from "../generated/prisma/client";

/**
 * A Prisma interactive transaction. Writers lock before changing: an order's row before its member's row,
 * so two deliveries about one order, or two orders of one member, run in turn and never deadlock.
 */
export type Tx = Prisma.TransactionClient;

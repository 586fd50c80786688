import type { ActionFunctionArgs } from "@remix-run/node";
import { FLOW_ACTIONS, handleFlowAction } from "../flow-actions/actions.server";

// Shopify Flow's "Award loyalty points" action (extensions/flow-action-award-points): signed by Shopify, no session.
export const action = ({ request }: ActionFunctionArgs) => handleFlowAction(request, FLOW_ACTIONS.award);

// The composition root, as in Shopify's app template: the Shopify app object and what routes need from it, with
// the install hook wired here so the Admin API adapter and the install code never import each other in a circle.
import { recordInstall } from "./shops/install.server";
import { API_VERSION, shopify, whenInstalled } from "./shopify/app.server";

whenInstalled(recordInstall);

export default shopify;
export { API_VERSION };
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;

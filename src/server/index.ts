export { buildApp } from "./app.js";
export { type RegistryRoutesOptions, registryRoutes } from "./registry-routes.js";

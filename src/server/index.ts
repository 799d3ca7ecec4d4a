export { buildApp } from "./app.js";
export { type DashboardRoutesOptions, dashboardRoutes } from "./dashboard-routes.js";
export { type RegistryRoutesOptions, registryRoutes } from "./registry-routes.js";

// `npm run routes:manifest`: writes lib/http/route-methods.generated.ts, the methods each route
// exports, which the server uses to answer other methods with 405 before Next.js, and the pages'
// URL patterns (with the routes', the labels of access lines and latency samples). Run it after
// adding a route, a method or a page; a unit test fails while the committed file is stale.
import { writeFileSync } from "node:fs";
import { renderManifest, scanPages, scanRoutes } from "@/lib/http/route-scan";

const target = "lib/http/route-methods.generated.ts";
const routes = scanRoutes("app");
const pages = scanPages("app");
writeFileSync(target, renderManifest(routes, pages));
console.log(`${target}: ${routes.length} routes, ${pages.length} pages`);

// `npm run routes:manifest`: writes lib/http/route-methods.generated.ts, the methods each route
// exports, which the server uses to answer other methods with 405 before Next.js. Run it after
// adding a route or a method; a unit test fails while the committed file is stale.
import { writeFileSync } from "node:fs";
import { renderManifest, scanRoutes } from "@/lib/http/route-scan";

const target = "lib/http/route-methods.generated.ts";
const routes = scanRoutes("app");
writeFileSync(target, renderManifest(routes));
console.log(`${target}: ${routes.length} routes`);

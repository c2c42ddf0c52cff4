// PATCH /api/v1/users/{id} – change role or tenant scope, disable/enable, reset password (admin)
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { changeUser } from "@/lib/users/manage-users";
import { UpdateUserSchema } from "@/lib/users/schemas";
import { serializeUser } from "@/lib/users/serialize";

export const PATCH = withApi<{ id: string }>("user.manage", async ({ principal, params, json, context }) => {
  const id = uuidParam(params.id, "user");
  const user = await changeUser(principal, id, await json(UpdateUserSchema), context);
  return Response.json(serializeUser(user));
});

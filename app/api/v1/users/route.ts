// GET|POST /api/v1/users – list users, create a user (admin)
import { withApi } from "@/lib/handlers/with-api";
import { createUser } from "@/lib/users/manage-users";
import { listUsers } from "@/lib/users/repo";
import { CreateUserSchema } from "@/lib/users/schemas";
import { serializeUser } from "@/lib/users/serialize";

export const GET = withApi("user.manage", async () => Response.json({ items: (await listUsers()).map(serializeUser) }));

export const POST = withApi("user.manage", async ({ principal, json, context }) => {
  const user = await createUser(principal, await json(CreateUserSchema), context);
  return Response.json(serializeUser(user), { status: 201, headers: { Location: `/api/v1/users/${user.id}` } });
});

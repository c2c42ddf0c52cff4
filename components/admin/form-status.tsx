import type { ActionResult } from "@/lib/http/action-result";

export function FormStatus({ state }: { state: ActionResult<unknown> | null }) {
  if (!state) return null;
  if (state.ok) {
    return state.message ? (
      <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" role="status">
        {state.message}
      </p>
    ) : null;
  }
  // A problem the message already states (a study that cannot be computed names its reason in
  // both) is listed once, in the message.
  const fields = Object.entries(state.fieldErrors ?? {}).filter(([, detail]) => !state.error.includes(detail));
  return (
    <div className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" role="alert">
      <p>{state.error}</p>
      {fields.length > 0 ? (
        <ul className="mt-1 list-disc pl-5">
          {fields.map(([field, detail]) => (
            <li key={field}>
              <strong>{field || "form"}</strong>: {detail}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

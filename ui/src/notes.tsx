import { ApiError } from "./api";

/** An API error in words, with the parameter a 400 names. */
export function ErrorNote({ error }: { error?: Error | undefined }) {
  if (!error) return null;
  const where = error instanceof ApiError && error.parameter ? ` (${error.parameter})` : "";
  return (
    <p role="alert" class="error">
      {error.message}
      {where}
    </p>
  );
}

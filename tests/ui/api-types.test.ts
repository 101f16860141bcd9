import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { API_TYPES_FILE, apiTypes } from "../../scripts/ui-api-types.js";

it("the UI's API types are those generated from the API's current OpenAPI document (npm run ui:types)", async () => {
  expect(await readFile(API_TYPES_FILE, "utf8")).toBe(await apiTypes());
}, 60_000);

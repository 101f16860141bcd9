import pg from "pg";
import { expect, it } from "vitest";
import { freshDatabase } from "./database.js";

// pool.end() resolves before its connections have closed; a drop right after must not terminate
// them (a terminated connection raises an error in its pool, uncaught in a test without a listener:
// CI once failed so in tests/collector/fuzz.test.ts's teardown).
it("drops a database whose pool was just ended without terminating the pool's closing connections", async () => {
  const errors: Error[] = [];
  for (let round = 0; round < 5; round++) {
    const db = await freshDatabase("obs_drop");
    const pool = new pg.Pool({ connectionString: db.url, max: 8 });
    pool.on("error", (err) => errors.push(err));
    await Promise.all(Array.from({ length: 8 }, () => pool.query("SELECT pg_sleep(0.01)")));
    await pool.end();
    await db.drop();
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(errors.map((e) => e.message)).toEqual([]);
});

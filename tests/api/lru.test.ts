import { expect, test } from "vitest";
import { Lru } from "../../services/api/cache/lru.js";

test("evicts the least recently used entries once the weight would exceed the bound", () => {
  const lru = new Lru<string>(10, (v) => v.length);
  lru.set("a", "aaaa");
  lru.set("b", "bbbb");
  expect(lru.get("a")).toBe("aaaa"); // a is now the most recent
  lru.set("c", "cccc"); // 12 > 10: b, the least recent, goes
  expect([lru.get("a"), lru.get("b"), lru.get("c")]).toEqual(["aaaa", undefined, "cccc"]);
});

test("replacing an entry frees its old weight; an entry heavier than the bound is not kept", () => {
  const lru = new Lru<string>(10, (v) => v.length);
  lru.set("a", "aaaaaaaa");
  lru.set("a", "a");
  lru.set("b", "bbbbbbbbb"); // 1 + 9 fits only if a's old 8 were freed
  expect([lru.get("a"), lru.get("b")]).toEqual(["a", "bbbbbbbbb"]);
  lru.set("huge", "x".repeat(11));
  expect([lru.get("huge"), lru.get("a"), lru.get("b")]).toEqual([undefined, "a", "bbbbbbbbb"]);
  lru.delete("a");
  lru.set("c", "c");
  expect([lru.get("a"), lru.get("b"), lru.get("c")]).toEqual([undefined, "bbbbbbbbb", "c"]);
});

test("without a weight function it bounds the number of entries", () => {
  const lru = new Lru<number>(2);
  lru.set("a", 1);
  lru.set("b", 2);
  lru.set("c", 3);
  expect([lru.get("a"), lru.get("b"), lru.get("c")]).toEqual([undefined, 2, 3]);
});

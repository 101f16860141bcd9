/**
 * Exact sums of USD amounts from numeric(20, 12) columns: as integers of 10^-12 USD, converted
 * to a JSON number only at the end (so a total is the nearest double to the exact sum).
 */
export function picoUsd(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{0,12}))?$/.exec(text);
  if (!m) throw new Error(`not a USD amount: ${text}`);
  const picos = BigInt(m[2]!) * 10n ** 12n + BigInt((m[3] ?? "").padEnd(12, "0"));
  return m[1] ? -picos : picos;
}

export function usdNumber(picos: bigint): number {
  const negative = picos < 0n;
  const digits = (negative ? -picos : picos).toString().padStart(13, "0");
  return Number(`${negative ? "-" : ""}${digits.slice(0, -12)}.${digits.slice(-12)}`);
}

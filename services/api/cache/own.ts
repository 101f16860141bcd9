/**
 * Bytes in memory of their own. A Redis reply is a view into the client's read buffer and a
 * small Buffer a slice of Node's shared pool; a value kept in memory must not hold on to either,
 * or it would hold more memory than its length says.
 */
export function own(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

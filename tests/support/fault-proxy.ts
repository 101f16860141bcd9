import { type AddressInfo, type Server, type Socket, connect, createServer } from "node:net";

/** What the proxy does to traffic: relay it, reset every connection, drop it silently, or delay it. */
export type FaultMode = "pass" | "reset" | "blackhole" | "slow";

/**
 * A TCP relay between a service and PostgreSQL or Redis that injects network faults, so tests can
 * take a server away without touching the one other test files share:
 * - reset(): every open connection is reset (RST) and new ones are reset as soon as they arrive;
 * - blackhole(): connections are accepted but nothing goes through either way (packets dropped);
 * - slow(ms): every chunk is delivered ms late;
 * - restore(): traffic flows again (connections that were black-holed are reset, as a peer whose
 *   packets were lost would be).
 */
export class FaultProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private mode: FaultMode = "pass";
  private delayMs = 0;
  /** Bytes the server has sent through the relay so far. */
  bytesFromTarget = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<FaultProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const proxy = new FaultProxy(server, (server.address() as AddressInfo).port);
    server.on("connection", (client) => proxy.relay(client, targetHost, targetPort));
    return proxy;
  }

  /** `url` (postgres:// or redis://) with its host and port replaced by the proxy's. */
  url(url: string): string {
    const u = new URL(url);
    u.hostname = "127.0.0.1";
    u.port = String(this.port);
    return u.toString();
  }

  reset(): void {
    this.mode = "reset";
    this.resetAll();
  }

  blackhole(): void {
    this.mode = "blackhole";
  }

  slow(delayMs: number): void {
    this.mode = "slow";
    this.delayMs = delayMs;
  }

  restore(): void {
    if (this.mode === "blackhole") this.resetAll();
    this.mode = "pass";
  }

  async close(): Promise<void> {
    this.reset();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private resetAll(): void {
    for (const [client, upstream] of this.pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  private relay(client: Socket, host: string, port: number): void {
    client.on("error", () => undefined);
    if (this.mode === "reset") return void client.resetAndDestroy();
    const upstream = connect(port, host);
    upstream.on("error", () => undefined);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const forward = (from: Socket, to: Socket, count: boolean) =>
      from.on("data", (chunk: Buffer) => {
        if (this.mode === "blackhole") return;
        if (count) this.bytesFromTarget += chunk.length;
        if (this.mode !== "slow") return void to.write(chunk);
        from.pause();
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
          from.resume();
        }, this.delayMs);
      });
    forward(client, upstream, false);
    forward(upstream, client, true);
    for (const s of pair) {
      s.on("close", () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      });
    }
  }
}

import { spawnService, type ServiceProcess } from "../../support/service-process.js";

export interface CollectorProcess extends ServiceProcess {
  httpPort: number;
}

/** The collector's real entry point in a process of its own, on OS-assigned ports. */
export async function spawnCollector(env: Record<string, string>): Promise<CollectorProcess> {
  const p = await spawnService("services/collector/main.ts", { OTLP_GRPC_PORT: "0", OTLP_HTTP_PORT: "0", ...env }, (line) =>
    line.includes('"collector listening"') ? JSON.parse(line).httpPort : undefined,
  );
  return { ...p, httpPort: p.port };
}

import { spawnService, type ServiceProcess } from "../../support/service-process.js";

/** The query API's real entry point in a process of its own, on an OS-assigned port of 127.0.0.1. */
export async function spawnApi(env: Record<string, string>): Promise<ServiceProcess> {
  return spawnService("services/api/main.ts", { API_HOST: "127.0.0.1", API_PORT: "0", ...env }, (line) => {
    const m = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
    return m ? Number(m[1]) : undefined;
  });
}

import os from 'node:os';
import type { MongoTarget } from './mongo/target.js';
import { IMDIAG_VERSION, driverVersion } from './version.js';

/** What a figure was measured on (docs/architecture.md, house rule 7). Hostnames are redacted by reports, not here. */
export interface Environment {
  imdiag: string;
  node: string;
  v8: string;
  platform: string;
  osRelease: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  totalMemoryMB: number;
  hostname: string;
  mongodbDriver: string;
  /** Absent for commands that use no MongoDB (flood). */
  mongo?: {
    serverVersion: string;
    topology: string;
    uri: string;
    embedded: boolean;
    database: string;
  };
}

export function collectEnvironment(target?: MongoTarget): Environment {
  const cpus = os.cpus();
  return {
    imdiag: IMDIAG_VERSION,
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    osRelease: os.release(),
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryMB: Math.round(os.totalmem() / 1024 / 1024),
    hostname: os.hostname(),
    mongodbDriver: driverVersion(),
    ...(target && {
      mongo: {
        serverVersion: target.server.version,
        topology: target.server.topology,
        uri: target.displayUri,
        embedded: target.embedded,
        database: target.dbName,
      },
    }),
  };
}

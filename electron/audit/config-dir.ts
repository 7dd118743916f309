// The per-user MedBridge configuration folder, which holds what must NOT live in a workspace: the installation's
// signing key and the anchor logs of signed audit heads. MEDBRIDGE_CONFIG_DIR, else $XDG_CONFIG_HOME/medbridge,
// else ~/.config/medbridge.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function medbridgeConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MEDBRIDGE_CONFIG_DIR) return resolve(env.MEDBRIDGE_CONFIG_DIR);
  if (env.XDG_CONFIG_HOME) return join(resolve(env.XDG_CONFIG_HOME), 'medbridge');
  return join(homedir(), '.config', 'medbridge');
}

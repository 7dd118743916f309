// The project folder (resources/, .medbridge-python/) as seen from this source file when run from a checkout.
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

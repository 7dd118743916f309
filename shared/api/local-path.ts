// Paths as the contract accepts them: a full path on the host, without NUL. A relative path would be resolved against
// whatever folder the host happened to start in (the CLI resolves what the user types before calling), and a NUL
// cuts the path short in the operating system's calls.
import { z } from 'zod';
import { isAbsolutePath } from '../paths.ts';

/** Longest path accepted (Linux PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;
/** `owner/name` as a model hub spells it; the services refuse it by name (nothing is downloaded) unless allowed. */
export const HUB_ID_PATTERN = /^[\w.-]+\/[\w.-]+$/;

const PathText = z
  .string()
  .min(1)
  .max(MAX_PATH_LENGTH)
  .refine((p) => !p.includes('\0'), 'a path must not contain a NUL character');

/** A file or folder on the host: absolute (POSIX, drive or UNC) and NUL-free. */
export const AbsolutePath = PathText.refine(isAbsolutePath, 'must be a full (absolute) path, such as /data/study or C:\\data\\study');

/** A local folder (absolute) or a model-hub id, which the service then refuses or allows by name. */
export const AbsolutePathOrHubId = PathText.refine((p) => isAbsolutePath(p) || HUB_ID_PATTERN.test(p), 'must be a full (absolute) path to a local folder');

/** A registered pack id (hex) or a pack folder (absolute). */
export const PackIdOrPath = PathText.refine(
  (p) => /^[0-9a-f]{8,64}$/.test(p) || isAbsolutePath(p),
  'must be a pack id or a full (absolute) path to a pack folder',
);

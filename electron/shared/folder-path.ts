/**
 * Which folders Athanor may read training data from, by the rules of the system main runs on. No Node imports:
 * the renderer's project type-checks this file (through validate.ts).
 */
import { describeValue as describe } from './describe-value';

const MAX_PATH_LENGTH = 4096;

/** How paths are spelled where main runs: a drive letter and either slash on Windows, one root "/" elsewhere. */
export type PathSystem = 'win32' | 'posix';

/** The system this code runs on; POSIX where there is no `process` (the renderer's project type-checks this file). */
export const HOST_PATH_SYSTEM: PathSystem =
  (globalThis as { process?: { platform?: string } }).process?.platform === 'win32' ? 'win32' : 'posix';

const WINDOWS_FORBIDDEN = /[<>"|?*:\u0000-\u001f]/;

/**
 * Why `value` is not a folder Athanor may read training data from on `system`, as one line naming `field`; null
 * when it is one: an absolute path on this computer's own drives, at most 4,096 characters, with no "." or ".."
 * parts. Refused with their own reasons: relative paths, network paths (`\\host\share`, `//host/share`: reading one
 * makes Windows hand the user's credentials to whatever host a compromised renderer names), device paths (`\\?\`,
 * `\\.\`), another system's paths (`C:\data` on Linux or macOS), NUL, and the characters Windows forbids in names.
 */
export function localFolderProblem(
  value: unknown,
  field: string,
  system: PathSystem = HOST_PATH_SYSTEM,
): string | null {
  if (typeof value !== 'string' || value.length === 0) return `${field} must be a folder path, got ${describe(value)}`;
  if (value.length > MAX_PATH_LENGTH) {
    return `${field} is ${value.length.toLocaleString('en-US')} characters long; a folder path has at most ${MAX_PATH_LENGTH.toLocaleString('en-US')}`;
  }
  if (value.includes('\0')) return `${field} holds a NUL character, which no path can`;
  const shown = `${field} ${describe(value)}`;
  const windows = system === 'win32';
  if (/^[\\/]{2}/.test(value)) {
    if (value[2] === '?' || value[2] === '.') {
      return `${shown} is a device path, not a folder: give the folder's own path${windows ? ', like "C:\\data\\mnist"' : ''}`;
    }
    return `${shown} is a network path: Athanor reads data from this computer's own drives only (copy the folder here${windows ? ', or map the share to a drive letter' : ''})`;
  }
  const driveAbsolute = /^[A-Za-z]:[\\/]/.test(value);
  if (!windows && driveAbsolute) return `${shown} is a Windows path; on this system a folder path starts with "/"`;
  if (!windows && !value.startsWith('/'))
    return `${shown} is not an absolute path; on this system a folder path starts with "/"`;
  if (windows && !driveAbsolute)
    return `${shown} is not an absolute path; on Windows a folder path starts with a drive, like "C:\\"`;
  if (windows) {
    const bad = WINDOWS_FORBIDDEN.exec(value.slice(2));
    if (bad) return `${shown} holds ${describe(bad[0])}, which Windows does not allow in a path`;
  }
  const parts = value.split(windows ? /[\\/]/ : '/');
  if (parts.some((part) => part === '.' || part === '..'))
    return `${shown} has a "." or ".." part; give the folder's own path`;
  return null;
}

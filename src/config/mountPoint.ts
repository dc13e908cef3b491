/**
 * Whether a directory is a mount point, for the Docker image's `/data` (KMSLITE_DATA_PATH_IF_MOUNTED): a volume or
 * bind mount there means the user asked for state to be kept, as local-kms's documented `-v ./data:/data` does.
 * Read from /proc/self/mountinfo (Linux; every container); elsewhere the answer is false and nothing changes.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Whether `path` is the mount point of a line of a /proc/self/mountinfo text (field 5, octal escapes undone). */
export function isMountPointIn(mountinfo: string, path: string): boolean {
  const wanted = resolve(path);
  for (const line of mountinfo.split('\n')) {
    const mountPoint = line.split(' ')[4];
    if (mountPoint && unescapeMountinfo(mountPoint) === wanted) return true;
  }
  return false;
}

export function isMountPoint(path: string): boolean {
  let mountinfo: string;
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return false;
  }
  return isMountPointIn(mountinfo, path);
}

/** mountinfo writes space, tab, newline and backslash as \040, \011, \012, \134. */
function unescapeMountinfo(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

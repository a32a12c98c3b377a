/** English words: what the file system said, as main's notices and the CLI quote it (fs-atomic, fs-read, fs-folders). */
export const files = {
  cannotWrite: 'cannot write {{path}}: {{reason}}',
  /** By errno code, and Athanor's own EREADONLY. */
  reason: {
    ENOENT: 'directory does not exist',
    ENOTDIR: 'a parent of it is not a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOSPC: 'disk full',
    EDQUOT: 'disk quota exceeded',
    EISDIR: 'a directory is in the way',
    ENAMETOOLONG: 'file name too long',
    ELOOP: 'a link that loops back on itself',
    EREADONLY: 'the file is read-only, or not yours to change: Athanor does not replace it',
  },
  noNewFiles: 'the folder does not take new files (a virtual file system such as /proc)',
  noNewFolders: '{{parent}} takes no new folders (a virtual file system such as /proc)',
  folderProblem: '{{path}}: {{reason}}',
  kind: { pipe: 'a named pipe', socket: 'a socket', device: 'a device' },
  isFolder: '{{path}} is a folder',
  notAFile: 'it is {{kind}}, not a file',
  tooLarge: 'it is too large to read at once ({{bytes}} bytes)',
} as const;

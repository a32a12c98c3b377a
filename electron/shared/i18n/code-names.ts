/**
 * Names of code that messages quote (functions, keys, tools): the same in every language, so they are passed to `t`
 * as parameters rather than written into each translation.
 */
export const CODE_NAMES = {
  stateDict: 'state_dict',
  loadStateDict: 'load_state_dict',
  loadLayersModel: 'tf.loadLayersModel',
  onnxruntime: 'onnxruntime',
  torchvision: 'torchvision',
} as const;

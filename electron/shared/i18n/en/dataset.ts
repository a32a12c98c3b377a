/**
 * English words: what is wrong with a data set (DatasetError) or with training settings (ConfigError), and what the
 * data source is ("idx files in MNIST/raw"). The CLI and the README quote these: they stay as they were.
 */
export const dataset = {
  /** `fsReason`: a file system error, for `{{file}}: {{reason}}`. */
  fs: {
    notFound: 'file not found',
    isFolder: 'is a folder, not a file',
    permission: 'permission denied',
    loop: 'a link that loops back on itself',
    other: 'cannot read it ({{code}})',
  },
  fileProblem: '{{file}}: {{reason}}',
  label: '{{what}}: label {{label}} at index {{index}} is outside 0..9',
  /** What a file holds, alone and counted. */
  kind: { images: 'images', labels: 'labels' },
  items: { images: '{{n}} images', labels: '{{n}} labels' },
  empty: '{{file}}: file is empty{{note}}',
  idx: {
    afterGunzip: ' after gunzip',
    wrongMagic: '{{file}}: wrong magic number {{magic}}, expected {{expected}} for idx {{kind}}',
    wrongMagicImages:
      '{{file}}: wrong magic number {{magic}} (an idx images file), expected {{expected}} for idx {{kind}}',
    wrongMagicLabels:
      '{{file}}: wrong magic number {{magic}} (an idx labels file), expected {{expected}} for idx {{kind}}',
    imageSize: '{{file}}: images are {{rows}}x{{cols}} pixels, only {{side}}x{{side}} is supported',
    none: '{{file}}: holds no {{kind}} (count is 0)',
    tooMany: '{{file}}: its header announces {{items}}{{note}}, more than the {{max}} Athanor reads',
    shortHeader: '{{file}}: truncated: {{bytes}} bytes{{note}}, an idx {{kind}} header needs {{need}}',
    truncated: '{{file}}: truncated: {{bytes}} bytes{{note}}, expected {{wanted}} for {{items}}',
    trailing: '{{file}}: {{extra}} trailing bytes after {{items}} (expected {{wanted}} bytes)',
  },
  csv: {
    notNumber: '{{file}}: line {{line}}, value {{field}}: {{text}} is not a whole number from 0 to 255',
    label: '{{file}}: line {{line}}: label {{label}} is outside 0..9',
    pixel: '{{file}}: line {{line}}: pixel {{pixel}} is {{value}}, outside 0..255',
    count: '{{file}}: line {{line}} has {{n}} values, expected {{fields}} (a label, then {{pixels}} pixels)',
    tooMany: '{{file}}: more than the {{max}} images Athanor reads',
    none: '{{file}}: holds no images (no line after the header)',
  },
  npz: {
    notNpy: '{{what}}: not a .npy array (no {{magic}} magic)',
    version: '{{what}}: .npy format version {{version}} is not one Athanor reads (1 to 3)',
    headerSize: '{{what}}: a .npy header of {{length}} bytes is not a real one',
    unreadableHeader: '{{what}}: unreadable .npy header {{header}}',
    dtype: "{{what}}: the values are of type '{{descr}}', only {{uint8}} ('|u1') is supported",
    imageShape: '{{what}}: shape {{shape}}, expected (n, {{side}}, {{side}}) images',
    labelShape: '{{what}}: shape {{shape}}, expected (n,) labels',
    fortran: '{{what}}: stored in {{fortran}} order, only C order is supported',
    shapeEmpty: '{{what}}: shape {{shape}} holds no {{kind}}',
    shapeTooMany: '{{what}}: shape {{shape}} has more than the {{max}} {{kind}} Athanor reads',
    notZip: '{{file}}: not a zip archive (an .npz is a zip of .npy files)',
    missingArrays:
      '{{file}}: no {{names}} in it (a {{keras}} mnist.npz holds {{x_train}}, {{y_train}}, {{x_test}} and {{y_test}})',
    compression:
      '{{what}}: compression method {{method}} is not supported ({{numpy}} writes entries stored or deflated)',
    entryTooLarge: '{{what}}: declares {{bytes}} bytes, more than an MNIST array can hold',
    damagedEntry: '{{what}}: damaged zip entry ({{error}})',
    damagedZip: '{{file}}: damaged zip archive ({{error}})',
    shortHeader: '{{what}}: truncated .npy header ({{bytes}} bytes)',
    truncated: '{{what}}: truncated: {{have}} bytes of data, its header announces {{size}}',
  },
  capped: {
    overFormat:
      '{{what}}: unpacks to more than the {{cap}} bytes the format allows: refused without unpacking the rest',
    overHeader:
      '{{what}}: unpacks to more than the {{cap}} bytes its header announces: refused without unpacking the rest',
    corruptGzip: '{{what}}: corrupt {{gzip}} data ({{error}})',
    corruptDeflate: '{{what}}: corrupt compressed data ({{error}})',
  },
  find: {
    cannotList: '{{dir}}: cannot list the folder: {{reason}}',
    special: '{{file}}: it is {{kind}}, not a file',
    deadLink: '{{file}}: a link to a file that does not exist',
    cannotRead: '{{file}}: cannot be read: {{reason}}',
    missingOne: '{{name}}: not found in {{dir}} (looked for {{candidates}}){{hint}}',
    missingMany: '{{names}}: not found in {{dir}} (each also looked for as .gz and with a dot before idx){{hint}}',
    completeElsewhere: '; {{dir}} is complete: choose that folder to train on it',
    manyNpz:
      '{{dir}}: {{n}} .npz files ({{names}}) and none named mnist.npz: name one with --data, or keep only one in the folder',
    nothing: '{{dir}}: no MNIST data found: looked for {{lookedFor}}',
    lookedFor:
      "the four idx files ({{files}}; raw or .gz, dashed or dotted, loose or each in a folder of its own name), the same under MNIST/raw/ ({{torchvision}}'s download), mnist_train.csv with mnist_test.csv, or mnist.npz ({{keras}})",
    partnerNotFileTest: '{{partner}}: is not a file (the test split beside {{file}} must be one)',
    partnerNotFileTrain: '{{partner}}: is not a file (the training split beside {{file}} must be one)',
    partnerMissing: '{{partner}}: not found beside {{file}} (a CSV file holds one split; training needs both)',
    notData:
      '{{file}}: not a file Athanor reads as MNIST: name a folder, an .npz, a *_train.csv or *_test.csv, or an idx file',
    doesNotExist: '{{target}}: does not exist',
    targetSpecial: '{{target}}: it is {{kind}}, not a folder or a file',
  },
  /** A list of names: "a, b, c". */
  listSeparator: ', ',
  /** `describeSource`: what a run reads, in one line; `…In` when a folder is named. */
  source: {
    bundled: 'the bundled MNIST ({{package}})',
    gz: ' (.gz)',
    npz: '{{file}} ({{keras}})',
    npzIn: '{{file}} ({{keras}}) in {{folder}}',
    csv: '{{train}} and {{test}}',
    csvIn: '{{train}} and {{test}} in {{folder}}',
    idx: 'idx files{{gz}}',
    idxIn: 'idx files{{gz}} in {{folder}}',
    kaggle: 'idx files{{gz}}, each in a folder of its own name',
    kaggleIn: 'idx files{{gz}} in {{folder}}, each in a folder of its own name',
  },
  limits: {
    notPositive: '{{name}} must be a positive integer, got {{value}}',
    countMismatch: '{{imagesFrom}} holds {{images}} images but {{labelsFrom}} holds {{labels}} labels',
    tooLarge: '{{name}} {{limit}} is more than the {{images}} images in {{from}}',
    /** The fused WebGPU step's buffers for one batch must each fit the adapter's largest buffer. */
    fusedBatch:
      "batch size {{batch}} is more than this GPU's buffers hold for Athanor's fused step: use {{max}} or less, or tfjs's kernels (--gpu-step tfjs)",
  },
  config: {
    notObject: 'training settings must be an object',
    invalid: 'invalid training settings: {{problems}}',
    problemSeparator: '; ',
    unknownOne: 'unknown setting {{keys}}{{more}}',
    unknownMany: 'unknown settings {{keys}}{{more}}',
    more: ' and {{n}} more',
    readAs: '"{{text}}" (read as {{value}})',
    /** One setting's problem: `batch size must be a whole number from 1 to 60000, got 0`. */
    problem: '{{name}} {{must}}, got {{got}}',
    /** How a message names each setting where the caller gave no name of its own (the schema's `words`). */
    names: {
      device: 'device',
      gpuEngine: 'GPU engine',
      epochs: 'epochs',
      batchSize: 'batch size',
      lr: 'learning rate',
      momentum: 'momentum',
      seed: 'seed',
      limit: 'limit',
      testLimit: 'testLimit',
      dataDir: 'dataDir',
    },
    /** What a setting must be: the whole numbers' words from their bounds, the others' their own. */
    must: {
      positive: 'must be a positive whole number',
      atLeast: 'must be a whole number of at least {{min}}',
      range: 'must be a whole number from {{min}} to {{max}}',
      device: 'must be "cpu" or "gpu"',
      gpuEngine: 'must be one of {{choices}}',
      lr: 'must be a positive finite number',
      momentum: 'must be at least 0 and below 1',
      dataDir: 'must be a folder path',
    },
  },
} as const;

import { basename, extname } from 'node:path';
import { adapterLabel } from '../../shared/adapter-label';
import { t } from '../../shared/i18n';
import { CODE_NAMES } from '../../shared/i18n/code-names';
import type { EngineInfo } from '../../shared/schema/engine';
import { checkWeights, type NamedTensor } from '../core/weights';
import { writePth } from './pth';
import { writeSafetensors } from './safetensors';
import { writeOnnx } from './onnx';
import { writeTfjsModel } from './tfjs';
import { toTorch } from './torch-layout';

export type ExportFormat = 'pth' | 'safetensors' | 'tfjs' | 'onnx';

export interface ExportResult {
  files: string[];
  /** Total size of the files written. */
  bytes: number;
  format: ExportFormat;
}

/** The extensions a save dialog can offer, per format. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, readonly string[]> = {
  pth: ['.pth', '.pt'],
  safetensors: ['.safetensors'],
  tfjs: ['.json'],
  onnx: ['.onnx'],
};

/** Each format as the export dialog names it, in the current language. */
const formatName = (format: ExportFormat): string => t(`history.formats.${format}.name`, CODE_NAMES);

/**
 * The file an export in `format` writes for the name the user typed: the chosen format always wins. A name that
 * ends in one of the format's extensions is kept; one without an export extension gets the format's first one
 * (`mnist_cnn` or `mnist_cnn.v2` -> `mnist_cnn.v2.pth`). A name ending in another format's extension (TF.js chosen,
 * `tfjs.pth` typed) is refused with both formats named: writing a TF.js model under a .pth name, or renaming it to
 * a file the user never typed, would each surprise someone. So is a name ending in a space or a dot (`w.pth `
 * would become `w.pth .pth`). Throws an Error saying nothing was written.
 */
export function exportPathFor(chosen: string, format: ExportFormat): string {
  // "w.pth " would become "w.pth .pth"; Windows cannot even hold a name ending so: ask rather than guess.
  const end = /[\s.]$/u.exec(basename(chosen))?.[0];
  if (end) {
    const name = basename(chosen);
    throw new Error(
      end === '.' ? t('history.refusals.endsInDot', { name }) : t('history.refusals.endsInSpace', { name }),
    );
  }
  const ext = extname(chosen).toLowerCase();
  if (EXPORT_EXTENSIONS[format].includes(ext)) return chosen;
  const other = (Object.keys(EXPORT_EXTENSIONS) as ExportFormat[]).find((f) => EXPORT_EXTENSIONS[f].includes(ext));
  if (other) {
    const wanted = EXPORT_EXTENSIONS[format]
      .map((ext) => t('history.refusals.extensionQuoted', { ext }))
      .join(t('history.refusals.extensionOr'));
    throw new Error(
      t('history.refusals.otherFormat', {
        name: basename(chosen),
        ext: extname(chosen),
        other: formatName(other),
        format: formatName(format),
        wanted,
      }),
    );
  }
  return `${chosen}${EXPORT_EXTENSIONS[format][0]}`;
}

export function formatForPath(path: string): ExportFormat {
  const ext = extname(path).toLowerCase();
  const format = (Object.keys(EXPORT_EXTENSIONS) as ExportFormat[]).find((f) => EXPORT_EXTENSIONS[f].includes(ext));
  if (!format) {
    const supported = Object.values(EXPORT_EXTENSIONS).flat().join(', ');
    const what = ext ? `its extension "${ext}" is not one Athanor writes` : 'the name has no extension';
    throw new Error(`cannot export to "${path}": ${what}; end it in one of ${supported}`);
  }
  return format;
}

/**
 * What the exported model takes and gives, in the files that carry metadata, so a user of the weights need not guess
 * the layout or the scaling (shared/REFERENCE.md: ToTensor() then Normalize((0.5,), (0.5,))).
 */
export const IO_SPEC = {
  tfjs: {
    'athanor.input':
      'float32 [batch, 28, 28, 1] (NHWC): 28x28 grayscale images, pixels x in 0-255 scaled (x / 255 - 0.5) / 0.5 to [-1, 1]',
    'athanor.output': 'float32 [batch, 10]: logits for the digits 0-9 (softmax gives probabilities)',
  },
  torch: {
    'athanor.input':
      'float32 [batch, 1, 28, 28] (NCHW): 28x28 grayscale images, pixels x in 0-255 scaled (x / 255 - 0.5) / 0.5 to [-1, 1]',
    'athanor.output': 'float32 [batch, 10]: logits for the digits 0-9 (softmax gives probabilities)',
  },
} as const;

/** What trained the weights, as strings: the engine, its tfjs backend, and the device or adapter it ran on. */
export function provenance(engine: EngineInfo, hardware?: string): Record<string, string> {
  // Metadata is read by programs: English whatever language the app speaks.
  const where = engine.adapter ? adapterLabel(engine.adapter, 'en') : hardware;
  return {
    'athanor.engine': `${engine.engine} ${engine.version}`,
    'athanor.backend': engine.backend,
    'athanor.device': engine.device,
    ...(engine.libtensorflow ? { 'athanor.libtensorflow': engine.libtensorflow } : {}),
    ...(engine.threads !== undefined ? { 'athanor.threads': String(engine.threads) } : {}),
    ...(where ? { 'athanor.adapter': where } : {}),
  };
}

/**
 * Writes the trained weights to `path` in the format its extension names: .pth/.pt and .safetensors hold a
 * state_dict that the reference PyTorch `Net` loads; .json is a TF.js layers model (plus its .weights.bin); .onnx
 * is the whole network as an ONNX model (onnx.ts). `metadata` (see `provenance`) goes into the .safetensors
 * header's `__metadata__`, the TF.js model.json's `userDefinedMetadata` and the ONNX model's metadata_props; a .pth
 * holds the state_dict alone, as the reference's torch.save writes it.
 */
export async function exportWeights(
  path: string,
  model: { weights: NamedTensor[]; topology: object },
  metadata: Record<string, string> = {},
): Promise<ExportResult> {
  const format = formatForPath(path);
  checkWeights(model.weights);
  switch (format) {
    case 'pth':
      return { files: [path], bytes: await writePth(path, toTorch(model.weights)), format };
    case 'safetensors':
      return {
        files: [path],
        bytes: await writeSafetensors(path, toTorch(model.weights), { ...metadata, ...IO_SPEC.torch }),
        format,
      };
    case 'tfjs':
      return {
        ...(await writeTfjsModel(path, model.weights, model.topology, undefined, { ...metadata, ...IO_SPEC.tfjs })),
        format,
      };
    case 'onnx':
      return {
        files: [path],
        bytes: await writeOnnx(path, toTorch(model.weights), { ...metadata, ...IO_SPEC.torch }),
        format,
      };
  }
}

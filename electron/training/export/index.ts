import { extname } from 'node:path';
import { checkWeights, type NamedTensor } from '../weights';
import { writePth } from './pth';
import { writeSafetensors } from './safetensors';
import { writeTfjsModel } from './tfjs';
import { toTorch } from './torch-layout';

export type ExportFormat = 'pth' | 'safetensors' | 'tfjs';

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
};

export function formatForPath(path: string): ExportFormat {
  const ext = extname(path).toLowerCase();
  const format = (Object.keys(EXPORT_EXTENSIONS) as ExportFormat[]).find((f) => EXPORT_EXTENSIONS[f].includes(ext));
  if (!format) {
    const supported = Object.values(EXPORT_EXTENSIONS).flat().join(', ');
    throw new Error(`cannot export to "${path}": unknown extension "${ext || '(none)'}"; use one of ${supported}`);
  }
  return format;
}

/**
 * Writes the trained weights to `path` in the format its extension names: .pth/.pt and .safetensors hold a
 * state_dict that the reference PyTorch `Net` loads; .json is a TF.js layers model (plus its .weights.bin).
 */
export async function exportWeights(
  path: string,
  model: { weights: NamedTensor[]; topology: object },
): Promise<ExportResult> {
  const format = formatForPath(path);
  checkWeights(model.weights);
  switch (format) {
    case 'pth':
      return { files: [path], bytes: await writePth(path, toTorch(model.weights)), format };
    case 'safetensors':
      return { files: [path], bytes: await writeSafetensors(path, toTorch(model.weights)), format };
    case 'tfjs':
      return { ...(await writeTfjsModel(path, model.weights, model.topology)), format };
  }
}

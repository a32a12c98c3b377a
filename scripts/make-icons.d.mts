// Types for the tests, which import the icon script; see make-icons.mjs.
export declare const LINUX_SIZES: number[];
export declare const ICO_SIZES: number[];
export declare const ICNS_TYPES: Array<[string, number]>;
export declare function renderPng(svgFile: string, size: number): Buffer;
export declare function decodePng(png: Buffer): { width: number; height: number; rgba: Buffer };
export declare function icoFile(pngs: Array<{ size: number; png: Buffer }>): Buffer;
export declare function icnsFile(entries: Array<{ type: string; png: Buffer }>): Buffer;
export declare function makeIcons(svgFile?: string): Record<string, number>;

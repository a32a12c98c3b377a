/** The harness's own contrast measurement, for what axe leaves undecided: checked against figures worked by hand. */
import { describe, expect, it } from 'vitest';
import { gradientSamples, parseCssColor, worstContrast } from './harness/axe';

describe('measuring contrast axe could not decide', () => {
  it('reads the colours Chromium computes', () => {
    expect(parseCssColor('rgb(29, 35, 48)')).toEqual({ rgb: [29, 35, 48], alpha: 1 });
    expect(parseCssColor('rgba(255, 255, 255, 0.96)')).toEqual({ rgb: [255, 255, 255], alpha: 0.96 });
    expect(parseCssColor('transparent')).toBeNull();
  });

  it('takes a gradient as every colour along it, ends included', () => {
    const samples = gradientSamples('linear-gradient(90deg, rgb(0, 0, 0), rgb(90, 90, 90) 70%)');
    expect(samples).toHaveLength(10);
    expect(samples[0].rgb).toEqual([0, 0, 0]);
    expect(samples[1].rgb).toEqual([10, 10, 10]);
    expect(samples.at(-1)!.rgb).toEqual([90, 90, 90]);
  });

  it('stops at the first opaque layer and keeps the worst background', () => {
    // #767676 on white is the AA limit, 4.54:1; a transparent layer above changes nothing.
    const onWhite = worstContrast('rgb(118, 118, 118)', [
      { color: 'rgba(0, 0, 0, 0)', image: 'none' },
      { color: 'rgb(255, 255, 255)', image: 'none' },
    ]);
    expect(onWhite.ratio).toBeCloseTo(4.54, 2);
    // Black text over a gradient from white to mid grey: the grey end decides (4.69:1 for black on #777).
    const gradient = worstContrast('rgb(0, 0, 0)', [
      { color: 'rgba(0, 0, 0, 0)', image: 'linear-gradient(90deg, rgb(255, 255, 255), rgb(119, 119, 119))' },
      { color: 'rgb(255, 255, 255)', image: 'none' },
    ]);
    expect(gradient.backgrounds).toHaveLength(10);
    expect(gradient.ratio).toBeCloseTo(4.69, 2);
    // Half-transparent black over white composites to mid grey before the text is measured.
    const veiled = worstContrast('rgb(255, 255, 255)', [
      { color: 'rgba(0, 0, 0, 0.5)', image: 'none' },
      { color: 'rgb(255, 255, 255)', image: 'none' },
    ]);
    expect(veiled.backgrounds).toEqual([[128, 128, 128]]);
    expect(veiled.ratio).toBeCloseTo(3.95, 2);
    expect(worstContrast('currentcolor', []).ratio).toBe(0);
  });
});

import type { CurvePoint } from '../shared/ipc-contract';

export const MAX_CURVE_POINTS = 1000;

/**
 * A run's fine loss curve in bounded memory: when it fills up, neighbouring pairs merge (mean loss, later step) and
 * later points are averaged in groups of the same size, so the curve stays evenly spaced however long the run is.
 */
export class Curve {
  private points: CurvePoint[] = [];
  private group = 1;
  private sum = 0;
  private count = 0;
  private lastStep = 0;
  private lastMs: number | undefined;

  constructor(private readonly max = MAX_CURVE_POINTS) {
    if (max < 2 || max % 2 !== 0) throw new Error('a curve needs an even number of points, at least 2');
  }

  /** `ms`: the loop's clock at `step` (Progress.elapsedMs); a merged point keeps its later member's step and time. */
  add(step: number, loss: number, ms?: number): void {
    this.sum += loss;
    this.count += 1;
    this.lastStep = step;
    this.lastMs = ms;
    if (this.count < this.group) return;
    this.points.push(point(step, this.sum / this.count, ms));
    this.sum = 0;
    this.count = 0;
    if (this.points.length === this.max) {
      const merged: CurvePoint[] = [];
      for (let i = 0; i < this.points.length; i += 2) {
        const later = this.points[i + 1];
        merged.push(point(later.step, (this.points[i].loss + later.loss) / 2, later.ms));
      }
      this.points = merged;
      this.group *= 2;
    }
  }

  /** At most `max` points: the full groups plus the group still filling. */
  snapshot(): CurvePoint[] {
    const out = this.points.map((p) => ({ ...p }));
    if (this.count > 0) out.push(point(this.lastStep, this.sum / this.count, this.lastMs));
    return out;
  }
}

function point(step: number, loss: number, ms: number | undefined): CurvePoint {
  return ms === undefined ? { step, loss } : { step, loss, ms };
}

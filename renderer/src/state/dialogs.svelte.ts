import type { RunRecord } from '../../../electron/shared/ipc-contract';
import { t } from '../../../electron/shared/i18n';
import { history } from './history.svelte';
import { notices } from './notices.svelte';

/** Which modal is open. One at a time, like a desktop app's sheets. */
class Dialogs {
  exportRun = $state.raw<RunRecord | null>(null);
  about = $state(false);

  openExport(run: RunRecord): void {
    this.about = false;
    this.exportRun = run;
  }

  /** Menu: File > Export weights... */
  exportFromMenu(): void {
    const run = history.exportCandidate();
    if (run) this.openExport(run);
    else
      notices.push(
        'info',
        () => t('history.export.noRun'),
        () => t('history.export.noRunHow'),
      );
  }

  openAbout(): void {
    this.exportRun = null;
    this.about = true;
  }

  /** Each dialog closes only itself: a late close of one must never shut the one opened after it. */
  closeExport(): void {
    this.exportRun = null;
  }

  closeAbout(): void {
    this.about = false;
  }
}

export const dialogs = new Dialogs();

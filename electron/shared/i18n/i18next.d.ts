import 'i18next';
import type { en } from './en';

// Types `t`'s keys and parameters from the English catalogue.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

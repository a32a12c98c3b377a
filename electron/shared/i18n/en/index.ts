/** The English catalogue, one namespace an area of the app; the keys every language has. */
import { app } from './app';
import { menu } from './menu';
import { devices } from './devices';
import { reasons } from './reasons';
import { settings } from './settings';
import { progress } from './progress';
import { results } from './results';
import { history } from './history';
import { scaling } from './scaling';
import { report } from './report';
import { format } from './format';
import { files } from './files';
import { main } from './main';
import { dataset } from './dataset';

export const en = {
  app,
  menu,
  devices,
  reasons,
  settings,
  progress,
  results,
  history,
  scaling,
  report,
  format,
  files,
  main,
  dataset,
} as const;

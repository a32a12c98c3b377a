/** The Simplified Chinese catalogue (zh-CN): typed as the English one's shape, so no key is missing. */
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

export const zhCN = {
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
};

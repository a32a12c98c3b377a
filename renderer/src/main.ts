import { mount } from 'svelte';
import { setLanguage } from '../../electron/shared/i18n';
import './app.css';
import { api } from './lib/api';
import Root from './Root.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

/** Asks main which language to speak before the first word is drawn; English if main cannot say. */
async function start(): Promise<ReturnType<typeof mount>> {
  const state = await api.language().catch(() => null);
  if (state) {
    setLanguage(state.language);
    document.documentElement.lang = state.language;
  }
  return mount(Root, { target: target! });
}

export default start();

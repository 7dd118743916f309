// Entry point: create the client (IPC in Electron, HTTP + SSE in a browser), the state root, and mount the app.
import { mount } from 'svelte';
import App from './App.svelte';
import { createClient } from './lib/api/client.ts';
import { AppState } from './lib/state/app.svelte.ts';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('MedBridge: #app element missing from index.html');

const app = new AppState(createClient());
mount(App, { target, props: { app } });
app.start();
window.addEventListener('pagehide', () => app.dispose(), { once: true });
